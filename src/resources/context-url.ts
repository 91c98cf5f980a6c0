import type { CollectionBehaviour } from './collection.js';

/**
 * The canonical containment path of a collection for context URLs, from its behaviour path and
 * parent keys: `onPremisesPublishingProfiles/connectorGroups` + `applicationProxy` gives
 * `onPremisesPublishingProfiles('applicationProxy')/connectorGroups`.
 */
export function collectionContextPath(behaviour: CollectionBehaviour, parentKeys: string[]): string {
  const names = behaviour.path.split('/');
  let path = names[0];
  names.slice(1).forEach((name, i) => {
    const key = parentKeys[i];
    path += `${key === undefined ? '' : `('${key.replace(/'/g, "''")}')`}/${name}`;
  });
  return path;
}

export function contextUrl(
  origin: string,
  version: string,
  path: string,
  select: string[] | undefined,
  entity: boolean,
): string {
  const projection = select && !select.includes('*') ? `(${select.join(',')})` : '';
  return `${origin}/${version}/$metadata#${path}${projection}${entity ? '/$entity' : ''}`;
}
