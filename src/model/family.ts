import type { SchemaDecl } from './edm.js';
import { familyAnnotations } from './family-annotations.js';
import { familyApplicationTypes } from './family-application.js';
import { familyComplexTypes } from './family-complex.js';
import { familyEntityTypes } from './family-entities.js';
import { familyEnumTypes } from './family-enums.js';

/**
 * The schema localgraph serves: the on-premises publishing family of Graph beta, plus the slice
 * of `application` it hangs off. The family types come first, in the order of Microsoft's CSDL,
 * so that `$metadata` reads like the real one.
 */
export const family: SchemaDecl = {
  namespace: 'microsoft.graph',
  alias: 'graph',
  types: [...familyEntityTypes, ...familyComplexTypes, ...familyEnumTypes, ...familyApplicationTypes],
  entitySets: [
    { name: 'onPremisesPublishingProfiles', entityType: 'microsoft.graph.onPremisesPublishingProfile' },
    { name: 'applications', entityType: 'microsoft.graph.application' },
  ],
  annotations: familyAnnotations,
};
