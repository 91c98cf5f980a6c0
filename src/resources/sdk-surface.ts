/**
 * Every request builder operation of the family in one official SDK: Microsoft's Python beta SDK
 * (microsoftgraph/msgraph-beta-sdk-python, commit 3cbc17770cab06981fe2b80cc3618800b94d0fe6,
 * folder msgraph_beta/generated/on_premises_publishing_profiles: 66 request builders), each
 * builder's URL template (query options left out) with each method it offers. Its Go and .NET
 * siblings are generated from the same OpenAPI description, so they reach the same paths.
 * docs/coverage.md lists each with what localgraph answers; a test keeps that list free of
 * unexplained gaps.
 */
export const SDK_SOURCE = {
  repository: 'microsoftgraph/msgraph-beta-sdk-python',
  commit: '3cbc17770cab06981fe2b80cc3618800b94d0fe6',
  folder: 'msgraph_beta/generated/on_premises_publishing_profiles',
} as const;

export type SdkMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export const SDK_OPERATIONS: ReadonlyArray<readonly [SdkMethod, string]> = [
  ['GET', `/onPremisesPublishingProfiles/$count`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups`],
  ['POST', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/$count`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/$count`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}/agentGroups`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$count`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/{onPremisesAgentGroup%2Did1}/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$ref`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$ref`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}`,
  ],
  [
    'PATCH',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/agents/{onPremisesAgent%2Did}`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}`],
  ['PATCH', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/$count`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$count`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/{onPremisesAgentGroup%2Did1}/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$ref`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$ref`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}`,
  ],
  [
    'PATCH',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources/{publishedResource%2Did}`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/publishedResources`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents`],
  ['POST', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/$count`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}/agentGroups`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$count`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$ref`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$ref`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}/agentGroups/$ref`,
  ],
  ['DELETE', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}`],
  ['PATCH', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/agents/{onPremisesAgent%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/applicationSegments`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/applicationSegments/$count`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/applicationSegments/{ipApplicationSegment%2Did}`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups`],
  ['POST', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/$count`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications/$count`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications/{application%2Did}`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications/{application%2Did}/logo`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications/{application%2Did}/logo`,
  ],
  [
    'PUT',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications/{application%2Did}/logo`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications(appId='{appId}')`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/applications(uniqueName='{uniqueName}')`,
  ],
  ['DELETE', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}`],
  ['PATCH', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/members/$count`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/members/{connector%2Did}/$ref`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/members`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/members/$ref`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/members/$ref`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/members/$ref`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors`],
  ['POST', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/$count`],
  ['DELETE', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}`],
  ['PATCH', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}/memberOf/$count`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}/memberOf/{connectorGroup%2Did}/$ref`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}/memberOf`],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}/memberOf/$ref`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}/memberOf/$ref`],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}/memberOf/$ref`,
  ],
  ['DELETE', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}`],
  ['PATCH', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/$count`],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$count`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/{onPremisesAgentGroup%2Did}/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$ref`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$ref`,
  ],
  [
    'POST',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}/agentGroups/$ref`,
  ],
  [
    'DELETE',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}`,
  ],
  [
    'GET',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}`,
  ],
  [
    'PATCH',
    `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources/{publishedResource%2Did}`,
  ],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources`],
  ['POST', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/publishedResources`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/sensors/$count`],
  ['DELETE', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/sensors/{privateAccessSensor%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/sensors/{privateAccessSensor%2Did}`],
  ['PATCH', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/sensors/{privateAccessSensor%2Did}`],
  ['GET', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/sensors`],
  ['POST', `/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/sensors`],
  ['GET', `/onPremisesPublishingProfiles`],
  ['POST', `/onPremisesPublishingProfiles`],
];
