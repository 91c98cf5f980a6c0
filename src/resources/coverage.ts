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
  'POST /onPremisesPublishingProfiles/{id}/connectors':
    'Graph registers connectors through the on-premises installer; localgraph takes a POST (as the SDKs offer).',
  'POST /onPremisesPublishingProfiles/{id}/agents': 'Registration by POST, as for connectors.',
  'POST /onPremisesPublishingProfiles/{id}/sensors': 'Registration by POST, as for connectors.',
  'POST /onPremisesPublishingProfiles/{id}/connectorGroups':
    'Answers 200 as the live service does (docs: 201); `--status-codes docs` answers 201.',
  'PATCH /onPremisesPublishingProfiles/{id}/connectorGroups/{id}':
    'Answers 204 as the live service does (docs: 200 + group); `--status-codes docs` answers 200.',
  'POST /onPremisesPublishingProfiles/{id}/connectors/{id}/memberOf/$ref':
    'Moves the connector (one group per connector); 204 as the tutorial shows.',
  'POST /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/members/$ref':
    'Moves the connector (one group per connector); 204 as the tutorial shows.',
  'GET /applications/{id}/connectorGroup': 'Without an assignment: the tenant default group (as observed live).',
  'PUT /applications/{id}/connectorGroup/$ref':
    'Application_NotFound until onPremisesPublishing is set (as observed live).',
};

/**
 * Operations none of Microsoft's beta SDKs (Python, Go, Java) has a request builder for: the
 * clients send them through their SDK's own request adapter (same auth, errors and models).
 */
const NO_SDK_BUILDER = new Set([
  'GET /onPremisesPublishingProfiles/{id}/hybridAgentUpdaterConfiguration',
  'PATCH /onPremisesPublishingProfiles/{id}/hybridAgentUpdaterConfiguration',
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/$ref',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/$ref',
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/$ref',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/$ref',
  ...['GET', 'POST'].map(
    (m) =>
      `${m} /applications/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`,
  ),
  ...['GET', 'PATCH', 'DELETE'].map(
    (m) =>
      `${m} /applications/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments/{id}`,
  ),
  'GET /applications/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments/{id}/application',
]);

const SDK_NAMES: Record<string, string> = { python: 'Python', go: 'Go', java: 'Java' };

/** Which official SDKs sent the operation in `npm run test:clients` (docs/sdk-coverage.json). */
export type SdkCoverage = Record<string, string[]>;

function sdkCell(operation: string, sdks: SdkCoverage): string {
  const names = (sdks[operation] ?? []).map((sdk) => SDK_NAMES[sdk] ?? sdk);
  if (names.length === 0) return '';
  return NO_SDK_BUILDER.has(operation)
    ? `${names.join(', ')} (request adapter: no builder in the SDKs)`
    : names.join(', ');
}

function cell(permissions: string[]): string {
  return permissions.length === 0 ? 'not supported' : permissions.join(', ');
}

export function renderCoverage(model: Model, registry: ResourceRegistry, sdks: SdkCoverage): string {
  const policy = new PermissionPolicy(registry.permissions());
  const lines = [
    '# Coverage',
    '',
    'Generated from the model and the behaviour modules by `npm run docs`; do not edit by hand.',
    'Paths are relative to `/beta`; `{id}` is any key. Permissions: least privileged first.',
    '"official SDK": which of Microsoft\'s Graph beta SDKs sent the operation in `npm run test:clients`',
    "(the servers' request logs, kept in docs/sdk-coverage.json; see clients/).",
    '',
    '| method | path | delegated | application | served | official SDK | difference from Graph |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const op of familyOperations(model, registry)) {
    const row = policy.row(op.method, op.pattern);
    const served = op.implemented ? 'yes' : 'no (501)';
    const note = DIFFERENCES[`${op.method} ${op.pattern}`] ?? '';
    const sdk = sdkCell(`${op.method} ${op.pattern}`, sdks);
    lines.push(
      `| ${op.method} | \`${op.pattern}\` | ${row ? cell(row.delegated) : ''} | ${row ? cell(row.application) : ''} | ${served} | ${sdk} | ${note} |`,
    );
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
  for (const a of answers)
    lines.push(`| ${a.method} | \`${a.template.replace(/\|/g, '\\|')}\` | ${a.served ? 'yes' : 'no'} | ${a.note} |`);
  return `${lines.join('\n')}\n`;
}
