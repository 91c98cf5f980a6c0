import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Model } from '../model/model.js';
import type { ResourceRegistry } from '../resources/registry.js';
import { buildOpenApi } from './openapi.js';

export type OpenApiFormat = 'yaml' | 'json';

/** localgraph's own version, for `info.version`. */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The OpenAPI description as text: YAML (as Microsoft publishes Graph's) or JSON. */
export function renderOpenApi(
  model: Model,
  registry: ResourceRegistry,
  format: OpenApiFormat,
  serverUrl: string,
): string {
  const document = buildOpenApi(model, registry, { serverUrl, version: PACKAGE_VERSION });
  // No anchors or aliases: every consumer reads the plain tree.
  return format === 'json'
    ? `${JSON.stringify(document, null, 2)}\n`
    : stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** `json` when asked for by `?format=` or `Accept`, else YAML. */
export function requestedFormat(format: string | null, accept: string | undefined): OpenApiFormat {
  const f = (format ?? '').toLowerCase();
  if (f === 'json' || f.startsWith('application/json')) return 'json';
  if (f === 'yaml' || f.endsWith('yaml')) return 'yaml';
  return /application\/json/i.test(accept ?? '') ? 'json' : 'yaml';
}
