import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { defaultKeyNormalizer, pathKeys, resolvePath, type ResolvedPath } from './path.js';

const model = new Model(family);
const resolve = (path: string): ResolvedPath => resolvePath(model, path);

const GUID_UPPER = 'D2B1E8E8-8511-49D6-A4BA-323CB083FBB0';
const GUID = GUID_UPPER.toLowerCase();
const PROFILE_CONNECTORS = '/onPremisesPublishingProfiles/{id}/connectors';

function notFoundSegment(segment: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'BadRequest');
    assert.equal(error.message, `Resource not found for the segment '${segment}'.`);
    return true;
  };
}

describe('resolvePath: what a path addresses', () => {
  const table: {
    path: string;
    kind: ResolvedPath['kind'];
    pattern: string;
    contextPath: string;
    type?: string;
    keys: string[];
  }[] = [
    {
      path: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      kind: 'collection',
      pattern: PROFILE_CONNECTORS,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['applicationProxy'],
    },
    {
      path: 'onPremisesPublishingProfiles/applicationProxy/connectors',
      kind: 'collection',
      pattern: PROFILE_CONNECTORS,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['applicationProxy'],
    },
    {
      path: 'onPremisesPublishingProfiles/applicationProxy/connectors/',
      kind: 'collection',
      pattern: PROFILE_CONNECTORS,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['applicationProxy'],
    },
    {
      path: 'ONPREMISESPUBLISHINGPROFILES/x/CONNECTORS',
      kind: 'collection',
      pattern: PROFILE_CONNECTORS,
      contextPath: "onPremisesPublishingProfiles('x')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['x'],
    },
    {
      path: `onPremisesPublishingProfiles/applicationProxy/connectors/${GUID_UPPER}`,
      kind: 'entity',
      pattern: `${PROFILE_CONNECTORS}/{id}`,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['applicationProxy', GUID],
    },
    {
      path: `onPremisesPublishingProfiles('applicationProxy')/connectors('${GUID_UPPER}')`,
      kind: 'entity',
      pattern: `${PROFILE_CONNECTORS}/{id}`,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['applicationProxy', GUID],
    },
    {
      path: "onPremisesPublishingProfiles('applicationProxy')",
      kind: 'entity',
      pattern: '/onPremisesPublishingProfiles/{id}',
      contextPath: 'onPremisesPublishingProfiles',
      type: 'microsoft.graph.onPremisesPublishingProfile',
      keys: ['applicationProxy'],
    },
    {
      path: 'onPremisesPublishingProfiles',
      kind: 'collection',
      pattern: '/onPremisesPublishingProfiles',
      contextPath: 'onPremisesPublishingProfiles',
      type: 'microsoft.graph.onPremisesPublishingProfile',
      keys: [],
    },
    {
      path: `onPremisesPublishingProfiles/applicationProxy/connectors/${GUID_UPPER}/memberOf`,
      kind: 'collection',
      pattern: `${PROFILE_CONNECTORS}/{id}/memberOf`,
      contextPath: `onPremisesPublishingProfiles('applicationProxy')/connectors('${GUID}')/memberOf`,
      type: 'microsoft.graph.connectorGroup',
      keys: ['applicationProxy', GUID],
    },
    {
      path: 'onPremisesPublishingProfiles/applicationProxy/connectors/$count',
      kind: 'count',
      pattern: `${PROFILE_CONNECTORS}/$count`,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors",
      type: 'microsoft.graph.connector',
      keys: ['applicationProxy'],
    },
    {
      path: 'onPremisesPublishingProfiles/$count',
      kind: 'count',
      pattern: '/onPremisesPublishingProfiles/$count',
      contextPath: 'onPremisesPublishingProfiles',
      type: 'microsoft.graph.onPremisesPublishingProfile',
      keys: [],
    },
    {
      path: 'onPremisesPublishingProfiles/applicationProxy/connectors/c1/memberOf/$ref',
      kind: 'ref',
      pattern: `${PROFILE_CONNECTORS}/{id}/memberOf/$ref`,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors('c1')/memberOf",
      type: 'microsoft.graph.connectorGroup',
      keys: ['applicationProxy', 'c1'],
    },
    {
      path: 'onPremisesPublishingProfiles/applicationProxy/connectors/c1/memberOf/g1/$ref',
      kind: 'ref',
      pattern: `${PROFILE_CONNECTORS}/{id}/memberOf/{id}/$ref`,
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/connectors('c1')/memberOf('g1')",
      type: 'microsoft.graph.connectorGroup',
      keys: ['applicationProxy', 'c1', 'g1'],
    },
    {
      path: 'applications/app1/connectorGroup/$ref',
      kind: 'ref',
      pattern: '/applications/{id}/connectorGroup/$ref',
      contextPath: "applications('app1')/connectorGroup",
      type: 'microsoft.graph.connectorGroup',
      keys: ['app1'],
    },
    {
      // A single-valued navigation addresses an entity, but its context path has no key to strip.
      path: 'applications/app1/connectorGroup',
      kind: 'entity',
      pattern: '/applications/{id}/connectorGroup',
      contextPath: "applications('app1')/connectorGroup",
      type: 'microsoft.graph.connectorGroup',
      keys: ['app1'],
    },
    {
      path: 'applications/app1/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments',
      kind: 'collection',
      pattern:
        '/applications/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments',
      contextPath:
        "applications('app1')/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments",
      type: 'microsoft.graph.ipApplicationSegment',
      keys: ['app1'],
    },
    {
      // The alias form of a cast resolves to the qualified name.
      path: 'applications/app1/onPremisesPublishing/segmentsConfiguration/graph.webSegmentConfiguration/applicationSegments/s1',
      kind: 'entity',
      pattern:
        '/applications/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.webSegmentConfiguration/applicationSegments/{id}',
      contextPath:
        "applications('app1')/onPremisesPublishing/segmentsConfiguration/microsoft.graph.webSegmentConfiguration/applicationSegments",
      type: 'microsoft.graph.webApplicationSegment',
      keys: ['app1', 's1'],
    },
    {
      path: 'onPremisesPublishingProfiles/provisioning/hybridAgentUpdaterConfiguration',
      kind: 'property',
      pattern: '/onPremisesPublishingProfiles/{id}/hybridAgentUpdaterConfiguration',
      contextPath: "onPremisesPublishingProfiles('provisioning')/hybridAgentUpdaterConfiguration",
      type: 'microsoft.graph.hybridAgentUpdaterConfiguration',
      keys: ['provisioning'],
    },
    {
      path: 'onPremisesPublishingProfiles/provisioning/hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime',
      kind: 'property',
      pattern: '/onPremisesPublishingProfiles/{id}/hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime',
      contextPath:
        "onPremisesPublishingProfiles('provisioning')/hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime",
      type: undefined,
      keys: ['provisioning'],
    },
    {
      path: 'onPremisesPublishingProfiles/applicationProxy/isEnabled',
      kind: 'property',
      pattern: '/onPremisesPublishingProfiles/{id}/isEnabled',
      contextPath: "onPremisesPublishingProfiles('applicationProxy')/isEnabled",
      type: undefined,
      keys: ['applicationProxy'],
    },
    {
      // Quotes in keys are doubled again in the context path.
      path: "onPremisesPublishingProfiles('it''s')/connectors",
      kind: 'collection',
      pattern: PROFILE_CONNECTORS,
      contextPath: "onPremisesPublishingProfiles('it''s')/connectors",
      type: 'microsoft.graph.connector',
      keys: ["it's"],
    },
  ];

  for (const row of table) {
    test(row.path, () => {
      const resolved = resolve(row.path);
      assert.equal(resolved.kind, row.kind);
      assert.equal(resolved.pattern, row.pattern);
      assert.equal(resolved.contextPath, row.contextPath);
      assert.equal(resolved.type?.qualifiedName, row.type);
      assert.deepEqual(pathKeys(resolved), row.keys);
    });
  }
});

describe('resolvePath: steps', () => {
  test('a cast path records entity set, key, properties, cast and navigation', () => {
    const resolved = resolve(
      'applications/app1/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments',
    );
    assert.deepEqual(
      resolved.steps.map((s) => s.kind),
      ['entitySet', 'key', 'property', 'property', 'cast', 'navigation'],
    );
    const cast = resolved.steps[4];
    assert.equal(cast.kind === 'cast' && cast.type.qualifiedName, 'microsoft.graph.ipSegmentConfiguration');
    const nav = resolved.steps[5];
    assert.equal(nav.kind === 'navigation' && nav.navigation.containsTarget, true);
  });

  test('an entity addressed by key records the key and the item type', () => {
    const resolved = resolve(`onPremisesPublishingProfiles/applicationProxy/connectors/${GUID_UPPER}`);
    assert.deepEqual(
      resolved.steps.map((s) => s.kind),
      ['entitySet', 'key', 'navigation', 'key'],
    );
    const last = resolved.steps[3];
    assert.ok(last.kind === 'key');
    assert.equal(last.key, GUID);
    assert.equal(last.type.qualifiedName, 'microsoft.graph.connector');
  });
});

describe('resolvePath: keys', () => {
  test('defaultKeyNormalizer lower-cases GUIDs and leaves other keys alone', () => {
    const type = model.structured('graph.connector');
    assert.equal(defaultKeyNormalizer(type, GUID_UPPER), GUID);
    assert.equal(defaultKeyNormalizer(type, 'applicationProxy'), 'applicationProxy');
    assert.equal(defaultKeyNormalizer(type, 'ABC'), 'ABC');
  });

  test('a custom normalizer is applied to every key, with the collection item type', () => {
    const seen: string[] = [];
    const resolved = resolvePath(
      model,
      "onPremisesPublishingProfiles('applicationproxy')/connectors/c1",
      (type, key) => {
        seen.push(`${type.name}:${key}`);
        return type.name === 'onPremisesPublishingProfile' && key.toLowerCase() === 'applicationproxy'
          ? 'applicationProxy'
          : key;
      },
    );
    assert.deepEqual(seen, ['onPremisesPublishingProfile:applicationproxy', 'connector:c1']);
    assert.deepEqual(pathKeys(resolved), ['applicationProxy', 'c1']);
    assert.equal(resolved.contextPath, "onPremisesPublishingProfiles('applicationProxy')/connectors");
  });

  test('the same target in parenthesised and key-as-segment form resolves identically', () => {
    const a = resolve(`onPremisesPublishingProfiles('applicationProxy')/connectors('${GUID}')/memberOf`);
    const b = resolve(`onPremisesPublishingProfiles/applicationProxy/connectors/${GUID}/memberOf`);
    assert.equal(a.pattern, b.pattern);
    assert.equal(a.contextPath, b.contextPath);
    assert.deepEqual(pathKeys(a), pathKeys(b));
  });
});

describe('resolvePath: refusals', () => {
  const refused: [string, string][] = [
    ['foo', 'foo'],
    ['', ''],
    ['/', ''],
    ['onPremisesPublishingProfiles/applicationProxy/foo', 'foo'],
    ['onPremisesPublishingProfiles/applicationProxy/connectors/c1/foo', 'foo'],
    // $ref only on non-contained navigations
    ['onPremisesPublishingProfiles/applicationProxy/connectors/$ref', '$ref'],
    ['onPremisesPublishingProfiles/applicationProxy/connectors/c1/$ref', '$ref'],
    ['onPremisesPublishingProfiles/$ref', '$ref'],
    ['onPremisesPublishingProfiles/x/$ref', '$ref'],
    ['applications/app1/$ref', '$ref'],
    ['onPremisesPublishingProfiles/provisioning/hybridAgentUpdaterConfiguration/$ref', '$ref'],
    // $count only on collections
    ['onPremisesPublishingProfiles/applicationProxy/$count', '$count'],
    ['onPremisesPublishingProfiles/applicationProxy/connectors/c1/$count', '$count'],
    ['applications/app1/connectorGroup/$count', '$count'],
    ["onPremisesPublishingProfiles/applicationProxy/connectors/$count('x')", "$count('x')"],
    // nothing after $count / $ref / a primitive
    ['onPremisesPublishingProfiles/applicationProxy/connectors/$count/x', 'x'],
    ['applications/app1/connectorGroup/$ref/x', 'x'],
    ['onPremisesPublishingProfiles/applicationProxy/isEnabled/x', 'x'],
    ['onPremisesPublishingProfiles/x/hybridAgentUpdaterConfiguration/allowUpdateConfigurationOverride/y', 'y'],
    // keys where there is no collection
    ["applications/app1/connectorGroup('g1')", "connectorGroup('g1')"],
    ["onPremisesPublishingProfiles('a')/b", 'b'],
    ["onPremisesPublishingProfiles/x/hybridAgentUpdaterConfiguration('k')", "hybridAgentUpdaterConfiguration('k')"],
    ["onPremisesPublishingProfiles/x/connectors/c1('k')", "c1('k')"],
    // navigation only reachable through a cast
    ['applications/app1/onPremisesPublishing/segmentsConfiguration/applicationSegments', 'applicationSegments'],
    // a cast to a type not derived from the addressed one
    [
      'applications/app1/onPremisesPublishing/segmentsConfiguration/microsoft.graph.webApplication',
      'microsoft.graph.webApplication',
    ],
    ['applications/microsoft.graph.connector', 'microsoft.graph.connector'],
    // collection-valued complex properties end the path
    ['applications/app1/onPremisesPublishing/wafIpRanges/x', 'x'],
  ];
  for (const [path, segment] of refused) {
    test(`${path || '(empty)'} → 400 naming '${segment}'`, () => {
      assert.throws(() => resolve(path), notFoundSegment(segment));
    });
  }

  test('a malformed key is a 400 from the lexer', () => {
    assert.throws(
      () => resolve("onPremisesPublishingProfiles('x)/connectors"),
      (e: unknown) =>
        e instanceof GraphError && e.status === 400 && e.message.includes("onPremisesPublishingProfiles('x)"),
    );
  });
});
