import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { family } from '../../family/on-premises/schema.js';
import { Model, type StructuredType } from '../../model/model.js';
import type { BoundExpr } from './bound-filter.js';
import { printBound } from './bound-print.js';
import { parseFilter } from './index.js';
import { badRequest } from './test-fixtures.js';

const model = new Model(family);
const types: Record<string, StructuredType> = {
  connector: model.structured('graph.connector'),
  connectorGroup: model.structured('graph.connectorGroup'),
  agent: model.structured('graph.onPremisesAgent'),
  application: model.structured('graph.application'),
  segment: model.structured('graph.ipApplicationSegment'),
  profile: model.structured('graph.onPremisesPublishingProfile'),
  sensor: model.structured('graph.privateAccessSensor'),
};

const bind = (type: string, text: string) => printBound(parseFilter(text, types[type], model).expression);

describe('$filter binder: accepted, in canonical form', () => {
  const cases: [string, string, string][] = [
    ['connector', "machineName eq 'CONNECTORA'", "(eq machineName 'CONNECTORA')"],
    ['connector', "MachineName eq 'x'", "(eq machineName 'x')"],
    ['connector', "'x' eq machineName", "(eq machineName 'x')"],
    ['connector', "'m' lt machineName", "(gt machineName 'm')"],
    ['connector', "'m' ge machineName", "(le machineName 'm')"],
    ['connector', "status eq 'Active'", "(eq status 'active')"],
    ['connector', "status eq microsoft.graph.connectorStatus'INACTIVE'", "(eq status 'inactive')"],
    ['connector', "status eq graph.connectorStatus'active'", "(eq status 'active')"],
    ['connector', "status in ('active', 'Inactive')", "(in status ['active' 'inactive'])"],
    ['connector', "status ne 'inactive'", "(ne status 'inactive')"],
    ['connector', 'id eq 3F2504E0-4F89-11D3-9A0C-0305E82C3301', "(eq id '3f2504e0-4f89-11d3-9a0c-0305e82c3301')"],
    ['connector', "id in ('a', 'B')", "(in id ['a' 'B'])"],
    ['connector', "$it/machineName eq 'x'", "(eq machineName 'x')"],
    ['connector', "startswith(machineName,'Conn')", "(startswith machineName 'Conn')"],
    ['connector', "endsWith(machineName,'a')", "(endswith machineName 'a')"],
    ['connector', "contains(tolower(machineName),'a')", "(contains machineName 'a')"],
    ['connector', "toupper(machineName) eq 'A'", "(eq machineName 'A')"],
    ['connector', "not (machineName eq 'x') or true", "(or (not (eq machineName 'x')) true)"],
    ['connectorGroup', 'isDefault', '(eq isDefault true)'],
    ['connectorGroup', 'not isDefault', '(not (eq isDefault true))'],
    ['connectorGroup', 'isDefault eq false', '(eq isDefault false)'],
    ['connectorGroup', 'region eq null', '(eq region null)'],
    ['connectorGroup', "region in ('EUR', null)", "(in region ['eur' null])"],
    [
      'agent',
      "supportedPublishingTypes/any(t: t eq 'Provisioning')",
      "(any supportedPublishingTypes t (eq t 'provisioning'))",
    ],
    [
      'agent',
      "supportedPublishingTypes/any(t: t eq 'privateAccess')",
      "(any supportedPublishingTypes t (eq t 'privateAccess'))",
    ],
    [
      'agent',
      "supportedPublishingTypes/all(t: t ne 'provisioning')",
      "(all supportedPublishingTypes t (ne t 'provisioning'))",
    ],
    ['agent', 'supportedPublishingTypes/any()', '(any supportedPublishingTypes)'],
    [
      'agent',
      "supportedPublishingTypes/any(t: t in ('provisioning', 'authentication'))",
      "(any supportedPublishingTypes t (in t ['provisioning' 'authentication']))",
    ],
    ['agent', 'supportedPublishingTypes/$count ge 2', '(ge supportedPublishingTypes/$count 2)'],
    [
      'agent',
      "supportedPublishingTypes/any(t: t eq 'provisioning' and machineName eq 'x')",
      "(any supportedPublishingTypes t (and (eq t 'provisioning') (eq machineName 'x')))",
    ],
    ['segment', "ports/any(p: startswith(p,'44'))", "(any ports p (startswith p '44'))"],
    ['segment', "protocol has 'TCP'", "(has protocol ['tcp'])"],
    ['segment', "protocol has 'udp, tcp'", "(has protocol ['tcp' 'udp'])"],
    ['segment', "protocol eq 'udp,tcp'", "(eq protocol 'tcp,udp')"],
    ['segment', 'port gt -1', '(gt port -1)'],
    ['segment', 'port eq 2147483647', '(eq port 2147483647)'],
    [
      'application',
      "onPremisesPublishing/externalUrl eq 'https://x'",
      "(eq onPremisesPublishing/externalUrl 'https://x')",
    ],
    [
      'application',
      'onPremisesPublishing/isSecureCookieEnabled eq true',
      '(eq onPremisesPublishing/isSecureCookieEnabled true)',
    ],
    [
      'application',
      'onPremisesPublishing/isSecureCookieEnabled',
      '(eq onPremisesPublishing/isSecureCookieEnabled true)',
    ],
    ['application', 'onPremisesPublishing eq null', '(eq onPremisesPublishing null)'],
    [
      'application',
      "onPremisesPublishing/singleSignOnSettings/singleSignOnMode eq 'saml'",
      "(eq onPremisesPublishing/singleSignOnSettings/singleSignOnMode 'saml')",
    ],
    [
      'application',
      "onPremisesPublishing/externalAuthenticationType eq 'PASSTHRU'",
      "(eq onPremisesPublishing/externalAuthenticationType 'passthru')",
    ],
    ['application', 'createdDateTime ge 2024-01-01T02:00:00+02:00', "(ge createdDateTime '2024-01-01T00:00:00.000Z')"],
    ['application', 'createdDateTime lt 2024-01-02', "(lt createdDateTime '2024-01-02T00:00:00.000Z')"],
    ['application', "tags/any(t: t eq 'x')", "(any tags t (eq t 'x'))"],
    ['application', 'web/redirectUriSettings/any(r: r/index eq 1)', '(any web/redirectUriSettings r (eq r/index 1))'],
    [
      'application',
      "onPremisesPublishing/onPremisesApplicationSegments/any(s: s/corsConfigurations/any(c: c/allowedOrigins/any(o: o eq 'x')))",
      "(any onPremisesPublishing/onPremisesApplicationSegments s (any s/corsConfigurations c (any c/allowedOrigins o (eq o 'x'))))",
    ],
    [
      'application',
      "onPremisesPublishing/verifiedCustomDomainKeyCredential/keyId eq 'AAAAAAAA-0000-0000-0000-000000000000'",
      "(eq onPremisesPublishing/verifiedCustomDomainKeyCredential/keyId 'aaaaaaaa-0000-0000-0000-000000000000')",
    ],
    [
      'profile',
      'hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime ge 09:00',
      "(ge hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime '09:00:00.0000000')",
    ],
    [
      'profile',
      'hybridAgentUpdaterConfiguration/deferUpdateDateTime lt 2030-01-01T00:00:00Z',
      "(lt hybridAgentUpdaterConfiguration/deferUpdateDateTime '2030-01-01T00:00:00.000Z')",
    ],
    ['sensor', 'isAuditMode ne true', '(ne isAuditMode true)'],
    ['connector', "startswith(machineName,'a') eq true", "(startswith machineName 'a')"],
    ['connector', "false eq startswith(machineName,'a')", "(not (startswith machineName 'a'))"],
    ['agent', 'supportedPublishingTypes/any() ne true', '(not (any supportedPublishingTypes))'],
  ];
  for (const [type, input, expected] of cases) {
    test(`${type}: ${input}`, () => assert.equal(bind(type, input), expected));
  }

  test('operands carry their canonical path, type and nullability', () => {
    const { expression } = parseFilter("onPremisesPublishing/ExternalUrl eq 'x'", types.application, model);
    assert.equal(expression.kind, 'compare');
    const operand = (expression as Extract<BoundExpr, { kind: 'compare' }>).operand;
    assert.deepEqual(
      {
        root: operand.root,
        path: operand.path,
        kind: operand.type.kind,
        nullable: operand.nullable,
        display: operand.display,
      },
      {
        root: '$it',
        path: ['onPremisesPublishing', 'externalUrl'],
        kind: 'string',
        nullable: true,
        display: 'onPremisesPublishing/externalUrl',
      },
    );
    const machine = parseFilter("machineName eq 'x'", types.connector, model).expression as Extract<
      BoundExpr,
      { kind: 'compare' }
    >;
    assert.equal(machine.operand.nullable, false);
    const region = parseFilter("region eq 'nam'", types.connectorGroup, model).expression as Extract<
      BoundExpr,
      { kind: 'compare' }
    >;
    assert.equal(region.operand.nullable, true);
  });
});

describe('$filter binder: refused with 400', () => {
  const unknown = (name: string) => `Property '${name}' does not exist as a declared property or extension property.`;
  const cases: [string, string, string | RegExp][] = [
    ['connector', "nope eq 'x'", unknown('nope')],
    ['application', "onPremisesPublishing/nope eq 'x'", unknown('nope')],
    ['application', "extension_abc_prop eq 'x'", unknown('extension_abc_prop')],
    [
      'agent',
      "supportedPublishingTypes/any(t: t/nope eq 'x')",
      "'t' is of type 'microsoft.graph.onPremisesPublishingType' and has no property 'nope'.",
    ],
    ['connector', "machineName/length eq 'x'", "'machineName' is of type 'Edm.String' and has no property 'length'."],
    ['connector', "memberOf/any(g: g/name eq 'x')", "The navigation property 'memberOf' cannot be used in $filter."],
    [
      'application',
      "connectorGroup/name eq 'x'",
      "The navigation property 'connectorGroup' cannot be used in $filter.",
    ],
    [
      'connectorGroup',
      "isDefault eq 'x'",
      "Cannot compare property 'isDefault' of type 'Edm.Boolean' with the Edm.String literal 'x' using 'eq'.",
    ],
    [
      'connectorGroup',
      'isDefault eq 1',
      "Cannot compare property 'isDefault' of type 'Edm.Boolean' with the Edm.Int32 literal 1 using 'eq'.",
    ],
    [
      'connector',
      'machineName eq 5',
      "Cannot compare property 'machineName' of type 'Edm.String' with the Edm.Int32 literal 5 using 'eq'.",
    ],
    [
      'connector',
      'machineName eq true',
      /Cannot compare property 'machineName' of type 'Edm.String' with the Edm.Boolean literal true/,
    ],
    ['segment', "port eq '5'", /Cannot compare property 'port' of type 'Edm.Int32' with the Edm.String literal '5'/],
    [
      'segment',
      'port eq 5.5',
      "Cannot convert the literal '5.5' to the expected type 'Edm.Int32' of property 'port': it is not an integer.",
    ],
    [
      'segment',
      'port eq 2147483648',
      "Cannot convert the literal '2147483648' to the expected type 'Edm.Int32' of property 'port': it is out of range.",
    ],
    [
      'application',
      "createdDateTime ge '2024-01-01T00:00:00Z'",
      /Cannot compare property 'createdDateTime' of type 'Edm.DateTimeOffset' with the Edm.String literal/,
    ],
    [
      'connectorGroup',
      "startswith(isDefault,'a')",
      "The function 'startswith' requires a property of type 'Edm.String'; 'isDefault' is of type 'Edm.Boolean'.",
    ],
    [
      'connector',
      "startswith(status,'a')",
      /requires a property of type 'Edm.String'; 'status' is of type 'microsoft.graph.connectorStatus'/,
    ],
    ['connector', 'startswith(machineName, 5)', /The second argument of 'startswith' must be a string literal/],
    ['connector', "startswith('abc', machineName)", /The first argument of 'startswith' must be a string property/],
    ['connector', 'startswith(machineName)', /The function 'startswith' takes two arguments/],
    ['connector', "tolower(status) eq 'a'", /The function 'tolower' requires a property of type 'Edm.String'/],
    ['connector', 'tolower(machineName)', /returns a string, not a Boolean expression/],
    ['connector', 'length(machineName) eq 5', "The function 'length' is not supported in $filter."],
    ['connector', 'frobnicate(machineName)', "Unknown function 'frobnicate' in $filter."],
    [
      'connector',
      "status eq 'running'",
      "'running' is not a member of the enum type 'microsoft.graph.connectorStatus' of property 'status' (members: active, inactive).",
    ],
    [
      'connector',
      "status in ('active', 'bogus')",
      /'bogus' is not a member of the enum type 'microsoft.graph.connectorStatus'/,
    ],
    [
      'connector',
      "status eq microsoft.graph.agentStatus'active'",
      "The literal microsoft.graph.agentStatus'active' is of type 'microsoft.graph.agentStatus', but property 'status' is of type 'microsoft.graph.connectorStatus'.",
    ],
    [
      'connector',
      "status eq microsoft.graph.nope'active'",
      "The enum type 'microsoft.graph.nope' in the literal microsoft.graph.nope'active' does not exist.",
    ],
    [
      'connector',
      "status gt 'active'",
      "The operator 'gt' cannot be applied to property 'status' of type 'microsoft.graph.connectorStatus'; use eq, ne or in.",
    ],
    [
      'connectorGroup',
      'isDefault lt true',
      /The operator 'lt' cannot be applied to property 'isDefault' of type 'Edm.Boolean'/,
    ],
    [
      'connector',
      "status has 'active'",
      "The operator 'has' requires a flags enum property; 'status' is of type 'microsoft.graph.connectorStatus'.",
    ],
    [
      'segment',
      "protocol has 'icmp'",
      /'icmp' is not a member of the enum type 'microsoft.graph.privateNetworkProtocol'/,
    ],
    ['connector', 'machineName gt null', "The operator 'gt' cannot compare with null; only eq and ne can."],
    [
      'connector',
      'machineName eq externalIp',
      "Comparing two properties with 'eq' is not supported; compare a property with a literal value.",
    ],
    ['connector', "'a' eq 'b'", "The operator 'eq' needs a property on one side, as in 'machineName eq ''x'''."],
    ['connector', 'machineName', /Property 'machineName' of type 'Edm.String' is not a Boolean expression/],
    ['connector', "'x'", /The literal 'x' is not a Boolean expression/],
    [
      'connector',
      "machineName/any(c: c eq 'x')",
      "The 'any' operator can only be applied to a collection-valued property; 'machineName' is not a collection.",
    ],
    [
      'application',
      "onPremisesPublishing/any(c: c eq 'x')",
      /'any' operator can only be applied to a collection-valued property; 'onPremisesPublishing' is not a collection/,
    ],
    [
      'agent',
      "supportedPublishingTypes eq 'provisioning'",
      /Property 'supportedPublishingTypes' is a collection and cannot be used with 'eq'; filter on its items with any or all/,
    ],
    ['segment', 'ports eq null', /Property 'ports' is a collection and cannot be used with 'eq'/],
    ['application', "tags/x eq 'a'", /Property 'tags' is a collection; filter on its items with any or all/],
    [
      'connector',
      'machineName/$count eq 1',
      "'$count' can only follow a collection-valued property; 'machineName' is not a collection.",
    ],
    ['segment', 'ports/$count', /is a number, not a Boolean expression/],
    [
      'application',
      "onPremisesPublishing eq 'x'",
      /Property 'onPremisesPublishing' is of complex type 'microsoft.graph.onPremisesPublishing'; it can only be compared with null/,
    ],
    [
      'application',
      "web/redirectUriSettings/any(r: r eq 'x')",
      /Property 'r' is of complex type 'microsoft.graph.redirectUriSettings'/,
    ],
    [
      'application',
      "onPremisesPublishing/verifiedCustomDomainKeyCredential/customKeyIdentifier eq 'AAAA'",
      "Property 'onPremisesPublishing/verifiedCustomDomainKeyCredential/customKeyIdentifier' of type 'Edm.Binary' can only be compared with null.",
    ],
    [
      'application',
      'onPremisesPublishing/verifiedCustomDomainKeyCredential/key eq null',
      "Property 'onPremisesPublishing/verifiedCustomDomainKeyCredential/key' is write-only and cannot be used in $filter.",
    ],
    [
      'application',
      "startswith(onPremisesPublishing/verifiedCustomDomainPasswordCredential/secretText, 'a')",
      "Property 'onPremisesPublishing/verifiedCustomDomainPasswordCredential/secretText' is write-only and cannot be used in $filter.",
    ],
    [
      'agent',
      "supportedPublishingTypes/any(t: supportedPublishingTypes/any(t: t eq 'x'))",
      "The lambda variable 't' is already in use by an enclosing lambda; choose another name.",
    ],
    [
      'application',
      "tags/any(t: identifierUris/any(u: u eq 'x'))",
      /The Any\/All nesting limit of '1' has been exceeded: inside the lambda of 't', 'any' may only range over a collection of 't' .*not over 'identifierUris'/,
    ],
    ['application', "tags/any(t: tags/all(u: u eq 'x'))", /The Any\/All nesting limit of '1' has been exceeded/],
    [
      'application',
      "onPremisesPublishing/onPremisesApplicationSegments/any(s: s/corsConfigurations/any(c: onPremisesPublishing/onPremisesApplicationSegments/any(o: o/alternateUrl eq 'x')))",
      /The Any\/All nesting limit of '1' has been exceeded: inside the lambda of 'c'/,
    ],
    ['connector', "$it eq 'x'", /'\$it' alone cannot be compared/],
    ['connector', "$root/machineName eq 'x'", "'$root' is not supported in $filter."],
    ['connector', 'status in (machineName)', "The list after 'in' must hold literal values only."],
    ['connector', "'x' in ('x')", /The left side of 'in' must be a property/],
    ['connector', 'machineName eq tolower(machineName)', /Comparing two properties/],
    [
      'connector',
      "startswith(machineName,'a') eq 'x'",
      /The function 'startswith' is a condition and cannot be compared with a value/,
    ],
  ];
  for (const [type, input, message] of cases) {
    test(`${type}: ${input}`, () => assert.throws(() => parseFilter(input, types[type], model), badRequest(message)));
  }
});
