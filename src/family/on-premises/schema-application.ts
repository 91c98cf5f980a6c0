import type { ComplexTypeDecl, EntityTypeDecl } from '../../model/edm.js';

/**
 * The directory types the family points at (`connectorGroup.applications`,
 * `ipApplicationSegment.application`) and that carry `onPremisesPublishing`, with shapes taken
 * from Microsoft's beta CSDL (production schema; msgraph-metadata schemas/beta-GovSG.csdl agrees,
 * the USNat copy lacks `webApplication.redirectUriSettings`).
 */
export const familyApplicationTypes: (EntityTypeDecl | ComplexTypeDecl)[] = [
  {
    kind: 'entity',
    name: 'directoryObject',
    baseType: 'graph.entity',
    // Open in Graph: directory extensions (extension_{appId}_{name}) travel as dynamic properties.
    openType: true,
    properties: [{ name: 'deletedDateTime', type: 'Edm.DateTimeOffset', readOnly: true }],
  },
  /*
   * A deliberate subset of Graph's `application`, which has some forty properties and ten
   * navigations, most of them about sign-in and consent, which localgraph does not emulate. Kept:
   * what the application proxy flow creates, reads and configures (identity, names, URIs, `web`,
   * `onPremisesPublishing`, the `connectorGroup` assignment). Properties keep the real names,
   * types, facets and order, so a client's typed model agrees on everything declared here. The
   * type stays open as in Graph, so the undeclared real properties a client sends are kept as
   * dynamic properties instead of being refused.
   */
  {
    kind: 'entity',
    name: 'application',
    baseType: 'graph.directoryObject',
    openType: true,
    properties: [
      { name: 'appId', type: 'Edm.String', readOnly: true },
      { name: 'createdDateTime', type: 'Edm.DateTimeOffset', readOnly: true },
      { name: 'description', type: 'Edm.String' },
      { name: 'displayName', type: 'Edm.String' },
      { name: 'identifierUris', type: 'Collection(Edm.String)', nullable: false },
      { name: 'onPremisesPublishing', type: 'graph.onPremisesPublishing' },
      { name: 'signInAudience', type: 'Edm.String' },
      { name: 'tags', type: 'Collection(Edm.String)', nullable: false },
      { name: 'web', type: 'graph.webApplication' },
    ],
    navigations: [{ name: 'connectorGroup', type: 'graph.connectorGroup' }],
  },
  {
    kind: 'complex',
    name: 'webApplication',
    properties: [
      { name: 'homePageUrl', type: 'Edm.String' },
      { name: 'implicitGrantSettings', type: 'graph.implicitGrantSettings' },
      { name: 'logoutUrl', type: 'Edm.String' },
      { name: 'oauth2AllowImplicitFlow', type: 'Edm.Boolean' },
      { name: 'redirectUris', type: 'Collection(Edm.String)', nullable: false },
      { name: 'redirectUriSettings', type: 'Collection(graph.redirectUriSettings)', nullable: false },
    ],
  },
  {
    kind: 'complex',
    name: 'implicitGrantSettings',
    properties: [
      { name: 'enableAccessTokenIssuance', type: 'Edm.Boolean' },
      { name: 'enableIdTokenIssuance', type: 'Edm.Boolean' },
    ],
  },
  {
    kind: 'complex',
    name: 'redirectUriSettings',
    properties: [
      { name: 'index', type: 'Edm.Int32' },
      { name: 'uri', type: 'Edm.String' },
    ],
  },
];
