import type { Model, StructuredType } from '../model/model.js';

/**
 * PATCH semantics for complex values, as Graph applies them: the fields sent replace the stored
 * ones, nested complex values merge the same way, `null` clears, collections are replaced whole.
 * So `{"onPremisesPublishing":{"singleSignOnSettings":{...}}}` keeps the app's URLs.
 */
export function mergeComplex(
  model: Model,
  type: StructuredType,
  current: unknown,
  change: Record<string, unknown>,
): Record<string, unknown> {
  if (typeof current !== 'object' || current === null || Array.isArray(current)) return change;
  const base = current as Record<string, unknown>;
  if (change['@odata.type'] !== undefined && change['@odata.type'] !== base['@odata.type']) return change;
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(change)) {
    const property = type.properties.get(name);
    const nested = property && property.type.kind === 'complex' && !property.type.collection;
    merged[name] =
      nested && typeof value === 'object' && value !== null && !Array.isArray(value)
        ? mergeComplex(model, model.structured(property.type.name), base[name], value as Record<string, unknown>)
        : value;
  }
  return merged;
}
