import type { PermissionRow } from '../auth/permission-matrix.js';
import { PermissionPolicy } from '../auth/permissions.js';
import type { Model } from '../model/model.js';
import { familyOperations } from './operations.js';
import type { ResourceRegistry } from './registry.js';
import { sdkAnswers } from './sdk-coverage.js';
import { SDK_SOURCE } from './sdk-surface.js';

/**
 * The coverage table (docs/coverage.md): every operation of the family with its permissions,
 * whether localgraph serves it, and where it deliberately answers differently from Graph.
 */
const DIFFERENCES: Record<string, string> = {
  'POST /onPremisesPublishingProfiles/{id}/connectors': 'Graph registers connectors through the on-premises installer; localgraph takes a POST (as the SDKs offer).',
  'POST /onPremisesPublishingProfiles/{id}/agents': 'Registration by POST, as for connectors.',
  'POST /onPremisesPublishingProfiles/{id}/sensors': 'Registration by POST, as for connectors.',
  'POST /onPremisesPublishingProfiles/{id}/connectorGroups': 'Answers 200 as the live service does (docs: 201); `--status-codes docs` answers 201.',
  'PATCH /onPremisesPublishingProfiles/{id}/connectorGroups/{id}': 'Answers 204 as the live service does (docs: 200 + group); `--status-codes docs` answers 200.',
  'POST /onPremisesPublishingProfiles/{id}/connectors/{id}/memberOf/$ref': 'Moves the connector (one group per connector); 204 as the tutorial shows.',
  'POST /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/members/$ref': 'Moves the connector (one group per connector); 204 as the tutorial shows.',
  'GET /applications/{id}/connectorGroup': 'Without an assignment: the tenant default group (as observed live).',
  'PUT /applications/{id}/connectorGroup/$ref': 'Application_NotFound until onPremisesPublishing is set (as observed live).',
};

function cell(permissions: string[]): string {
  return permissions.length === 0 ? 'not supported' : permissions.join(', ');
}

export function renderCoverage(model: Model, registry: ResourceRegistry, matrix: PermissionRow[]): string {
  const policy = new PermissionPolicy(matrix);
  const lines = [
    '# Coverage',
    '',
    'Generated from the model and the behaviour modules by `npm run docs`; do not edit by hand.',
    'Paths are relative to `/beta`; `{id}` is any key. Permissions: least privileged first.',
    '',
    '| method | path | delegated | application | served | difference from Graph |',
    '|---|---|---|---|---|---|',
  ];
  for (const op of familyOperations(model, registry)) {
    const row = policy.row(op.method, op.pattern);
    const served = op.implemented ? 'yes' : 'no (501)';
    const note = DIFFERENCES[`${op.method} ${op.pattern}`] ?? '';
    lines.push(`| ${op.method} | \`${op.pattern}\` | ${row ? cell(row.delegated) : ''} | ${row ? cell(row.application) : ''} | ${served} | ${note} |`);
  }
  const answers = sdkAnswers(model, registry);
  lines.push(
    '',
    "## The SDKs' request builders",
    '',
    `Every operation the request builders of Microsoft's Python beta SDK offer under \`onPremisesPublishingProfiles\``,
    `(${SDK_SOURCE.repository}, commit ${SDK_SOURCE.commit.slice(0, 12)}, \`${SDK_SOURCE.folder}\`; the Go, .NET,`,
    'Java and TypeScript SDKs are generated from the same description), and what localgraph answers.',
    `${answers.filter((a) => a.served).length} of ${answers.length} are served; each other one answers Graph's error envelope with the status given, for the reason given.`,
    '',
    '| method | SDK path | served | note |',
    '|---|---|---|---|',
  );
  for (const a of answers) lines.push(`| ${a.method} | \`${a.template.replace(/\|/g, '\\|')}\` | ${a.served ? 'yes' : 'no'} | ${a.note} |`);
  return `${lines.join('\n')}\n`;
}
