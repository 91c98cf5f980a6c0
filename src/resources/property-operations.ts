import { errors } from '../graph/errors.js';
import { readEntityBody } from '../odata/entity-body.js';
import { mergeComplex } from '../odata/merge.js';
import { serializeEntity } from '../odata/serialize.js';
import { loadEntity, scopeOf, type Call, type GraphResponse } from './call.js';
import { contextUrl } from './context-url.js';
import type { PropertyTarget } from './target.js';

/**
 * A complex property addressed on its own, as `.../hybridAgentUpdaterConfiguration`: `GET`
 * returns it, `PATCH` merges the fields sent into it and answers 204.
 */
function complexType(call: Call, target: PropertyTarget) {
  const type = target.property.type;
  if (type.kind !== 'complex' || type.collection)
    throw errors.notImplemented(`Addressing the property '${target.property.name}'`);
  return call.ctx.model.structured(type.name);
}

export async function getProperty(call: Call, target: PropertyTarget): Promise<GraphResponse> {
  const { owner, property } = target;
  const type = complexType(call, target);
  const entity = await loadEntity(
    call.ctx.store,
    owner.behaviour,
    scopeOf(call, owner.behaviour, owner.parentKeys),
    owner.key,
  );
  const value = entity[property.name];
  if (value === null || value === undefined) return { status: 204 };
  const body = serializeEntity(call.ctx.model, type, value as Record<string, unknown>, {
    includeUnknownEnumMembers: call.request.preferences.includeUnknownEnumMembers,
  });
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(
        call.request.url.origin,
        call.request.version,
        call.request.path.contextPath,
        undefined,
        false,
      ),
      ...body,
    },
  };
}

export async function patchProperty(call: Call, target: PropertyTarget): Promise<GraphResponse> {
  const { owner, property } = target;
  const rules = owner.behaviour.properties?.[property.name]?.rules;
  if (!rules) throw errors.methodNotAllowed();
  const type = complexType(call, target);
  const changes = readEntityBody(call.ctx.model, type, call.request.body, rules, 'update');
  const scope = scopeOf(call, owner.behaviour, owner.parentKeys);
  return call.ctx.store.transaction(async (store) => {
    const entity = await loadEntity(store, owner.behaviour, scope, owner.key);
    const merged = mergeComplex(call.ctx.model, type, entity[property.name], changes);
    await store.update(owner.behaviour.table, scope, owner.key, { [property.name]: merged });
    return { status: 204 };
  });
}
