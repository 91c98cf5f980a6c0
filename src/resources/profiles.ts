import type { Model, StructuredType } from '../model/model.js';

/**
 * The publishing profiles: each is keyed by a publishing type (`applicationProxy`,
 * `provisioning`, ...). Clients write the key in any case (docs use `applicationproxy`), so keys
 * are canonicalised to the enum's spelling.
 */
export const PROFILE_TYPE = 'microsoft.graph.onPremisesPublishingProfile';

export function profileKeyNormalizer(model: Model): (type: StructuredType, key: string) => string | undefined {
  const publishingType = model.enumType('microsoft.graph.onPremisesPublishingType');
  return (type, key) => (type.qualifiedName === PROFILE_TYPE ? publishingType.parse(key) ?? key : undefined);
}
