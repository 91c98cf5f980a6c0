import { parseArgs } from 'node:util';
import { renderOpenApi } from '../openapi/render.js';
import { familyModel, familyRegistry } from '../family/family.js';
import { UsageError } from './usage.js';
import { servedFamily } from '../family/served-family.js';

export const openapiHelp = `Usage: localgraph openapi [--format yaml|json] [--server URL]

Prints the OpenAPI 3.0 description of what localgraph serves (the same as GET /beta/$openapi).

Options:
  --format F    yaml (default) or json
  --server URL  the server URL it names (default http://127.0.0.1:5080/beta)
  -h, --help    this help`;

export async function openapiCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        format: { type: 'string', default: 'yaml' },
        server: { type: 'string', default: 'http://127.0.0.1:5080/beta' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(openapiHelp);
    return 0;
  }
  const format = values.format;
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not '${format}'`);
  process.stdout.write(
    renderOpenApi(familyModel(servedFamily), familyRegistry(servedFamily), format, values.server.replace(/\/+$/, '')),
  );
  return 0;
}
