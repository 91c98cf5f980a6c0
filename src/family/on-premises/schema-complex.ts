import type { ComplexTypeDecl } from '../../model/edm.js';

/**
 * The complex types of the on-premises publishing family, transcribed from Microsoft's beta CSDL
 * (test/fixtures/onprem-family.csdl.xml) in its order. Most hang off `application.onPremisesPublishing`.
 */
export const familyComplexTypes: ComplexTypeDecl[] = [
  {
    kind: 'complex',
    name: 'hybridAgentUpdaterConfiguration',
    properties: [
      { name: 'allowUpdateConfigurationOverride', type: 'Edm.Boolean', nullable: false },
      { name: 'deferUpdateDateTime', type: 'Edm.DateTimeOffset' },
      { name: 'updateWindow', type: 'graph.updateWindow' },
    ],
  },
  {
    kind: 'complex',
    name: 'updateWindow',
    properties: [
      { name: 'updateWindowEndTime', type: 'Edm.TimeOfDay' },
      { name: 'updateWindowStartTime', type: 'Edm.TimeOfDay' },
    ],
  },
  {
    kind: 'complex',
    name: 'onPremisesPublishing',
    properties: [
      { name: 'alternateUrl', type: 'Edm.String' },
      { name: 'applicationServerTimeout', type: 'Edm.String' },
      { name: 'applicationType', type: 'Edm.String', readOnly: true },
      { name: 'externalAuthenticationType', type: 'graph.externalAuthenticationType' },
      { name: 'externalUrl', type: 'Edm.String' },
      { name: 'internalUrl', type: 'Edm.String' },
      { name: 'isAccessibleViaZTNAClient', type: 'Edm.Boolean' },
      { name: 'isBackendCertificateValidationEnabled', type: 'Edm.Boolean' },
      { name: 'isContinuousAccessEvaluationEnabled', type: 'Edm.Boolean' },
      { name: 'isDnsResolutionEnabled', type: 'Edm.Boolean' },
      { name: 'isHttpOnlyCookieEnabled', type: 'Edm.Boolean' },
      { name: 'isOnPremPublishingEnabled', type: 'Edm.Boolean', readOnly: true },
      { name: 'isPersistentCookieEnabled', type: 'Edm.Boolean' },
      { name: 'isSecureCookieEnabled', type: 'Edm.Boolean' },
      { name: 'isStateSessionEnabled', type: 'Edm.Boolean' },
      { name: 'isTranslateHostHeaderEnabled', type: 'Edm.Boolean' },
      { name: 'isTranslateLinksInBodyEnabled', type: 'Edm.Boolean' },
      // Deprecated (stopped returning data 2023-06-01), kept because the real schema still declares it.
      { name: 'onPremisesApplicationSegments', type: 'Collection(graph.onPremisesApplicationSegment)' },
      { name: 'segmentsConfiguration', type: 'graph.segmentConfiguration' },
      { name: 'singleSignOnSettings', type: 'graph.onPremisesPublishingSingleSignOn' },
      { name: 'trafficRoutingMethod', type: 'graph.trafficRoutingMethod', nullable: false },
      { name: 'useAlternateUrlForTranslationAndRedirect', type: 'Edm.Boolean' },
      {
        name: 'verifiedCustomDomainCertificatesMetadata',
        type: 'graph.verifiedCustomDomainCertificatesMetadata',
        readOnly: true,
      },
      { name: 'verifiedCustomDomainKeyCredential', type: 'graph.keyCredential' },
      { name: 'verifiedCustomDomainPasswordCredential', type: 'graph.passwordCredential' },
      { name: 'wafAllowedHeaders', type: 'graph.wafAllowedHeadersDictionary' },
      { name: 'wafIpRanges', type: 'Collection(graph.ipRange)' },
      { name: 'wafProvider', type: 'Edm.String' },
    ],
  },
  {
    kind: 'complex',
    name: 'onPremisesPublishingSingleSignOn',
    properties: [
      { name: 'kerberosSignOnSettings', type: 'graph.kerberosSignOnSettings' },
      { name: 'singleSignOnMode', type: 'graph.singleSignOnMode' },
    ],
  },
  {
    kind: 'complex',
    name: 'kerberosSignOnSettings',
    properties: [
      { name: 'kerberosServicePrincipalName', type: 'Edm.String' },
      { name: 'kerberosSignOnMappingAttributeType', type: 'graph.kerberosSignOnMappingAttributeType' },
    ],
  },
  {
    kind: 'complex',
    name: 'verifiedCustomDomainCertificatesMetadata',
    properties: [
      { name: 'expiryDate', type: 'Edm.DateTimeOffset' },
      { name: 'issueDate', type: 'Edm.DateTimeOffset' },
      { name: 'issuerName', type: 'Edm.String' },
      { name: 'subjectName', type: 'Edm.String' },
      { name: 'thumbprint', type: 'Edm.String' },
    ],
  },
  {
    kind: 'complex',
    name: 'onPremisesApplicationSegment',
    properties: [
      { name: 'alternateUrl', type: 'Edm.String' },
      { name: 'corsConfigurations', type: 'Collection(graph.corsConfiguration)' },
      { name: 'externalUrl', type: 'Edm.String' },
      { name: 'internalUrl', type: 'Edm.String' },
    ],
  },
  {
    kind: 'complex',
    name: 'corsConfiguration',
    properties: [
      { name: 'allowedHeaders', type: 'Collection(Edm.String)' },
      { name: 'allowedMethods', type: 'Collection(Edm.String)' },
      { name: 'allowedOrigins', type: 'Collection(Edm.String)' },
      { name: 'maxAgeInSeconds', type: 'Edm.Int32' },
      { name: 'resource', type: 'Edm.String' },
    ],
  },
  // Empty and (unlike ipRange) not abstract in the CSDL; the derived ip/web configurations carry the segments.
  { kind: 'complex', name: 'segmentConfiguration', properties: [] },
  {
    kind: 'complex',
    name: 'ipSegmentConfiguration',
    baseType: 'graph.segmentConfiguration',
    properties: [],
    navigations: [
      { name: 'applicationSegments', type: 'Collection(graph.ipApplicationSegment)', containsTarget: true },
    ],
  },
  {
    kind: 'complex',
    name: 'webSegmentConfiguration',
    baseType: 'graph.segmentConfiguration',
    properties: [],
    navigations: [
      { name: 'applicationSegments', type: 'Collection(graph.webApplicationSegment)', containsTarget: true },
    ],
  },
  {
    kind: 'complex',
    name: 'keyCredential',
    properties: [
      { name: 'customKeyIdentifier', type: 'Edm.Binary' },
      { name: 'displayName', type: 'Edm.String' },
      { name: 'endDateTime', type: 'Edm.DateTimeOffset' },
      // The certificate (a PFX, or an X.509 certificate): taken, never returned.
      { name: 'key', type: 'Edm.Binary', writeOnly: true },
      { name: 'keyId', type: 'Edm.Guid' },
      { name: 'startDateTime', type: 'Edm.DateTimeOffset' },
      { name: 'type', type: 'Edm.String' },
      { name: 'usage', type: 'Edm.String' },
    ],
  },
  {
    kind: 'complex',
    name: 'passwordCredential',
    properties: [
      { name: 'customKeyIdentifier', type: 'Edm.Binary' },
      { name: 'displayName', type: 'Edm.String' },
      { name: 'endDateTime', type: 'Edm.DateTimeOffset' },
      { name: 'hint', type: 'Edm.String' },
      { name: 'keyId', type: 'Edm.Guid' },
      { name: 'secretText', type: 'Edm.String', writeOnly: true },
      { name: 'startDateTime', type: 'Edm.DateTimeOffset' },
    ],
  },
  { kind: 'complex', name: 'ipRange', abstract: true, properties: [] },
  {
    kind: 'complex',
    name: 'iPv4CidrRange',
    baseType: 'graph.ipRange',
    properties: [{ name: 'cidrAddress', type: 'Edm.String', nullable: false }],
  },
  {
    kind: 'complex',
    name: 'iPv6CidrRange',
    baseType: 'graph.ipRange',
    properties: [{ name: 'cidrAddress', type: 'Edm.String', nullable: false }],
  },
  {
    kind: 'complex',
    name: 'iPv4Range',
    baseType: 'graph.ipRange',
    properties: [
      { name: 'lowerAddress', type: 'Edm.String', nullable: false },
      { name: 'upperAddress', type: 'Edm.String', nullable: false },
    ],
  },
  {
    kind: 'complex',
    name: 'iPv6Range',
    baseType: 'graph.ipRange',
    properties: [
      { name: 'lowerAddress', type: 'Edm.String', nullable: false },
      { name: 'upperAddress', type: 'Edm.String', nullable: false },
    ],
  },
  // Graph's generic open bag, which the family's fixture omits; declared (as the full beta CSDL does)
  // so that wafAllowedHeadersDictionary's BaseType resolves inside the rendered $metadata.
  { kind: 'complex', name: 'Dictionary', openType: true, properties: [] },
  // Open with no declared properties: its entries travel as dynamic properties.
  {
    kind: 'complex',
    name: 'wafAllowedHeadersDictionary',
    baseType: 'graph.Dictionary',
    openType: true,
    properties: [],
  },
];
