import type { SchemaDecl } from '../../model/edm.js';
import { familyAnnotations } from './schema-annotations.js';
import { familyApplicationTypes } from './schema-application.js';
import { familyComplexTypes } from './schema-complex.js';
import { familyEntityTypes } from './schema-entities.js';
import { familyEnumTypes } from './schema-enums.js';

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
