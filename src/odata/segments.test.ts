import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { parseKeyLiteral, parseSegment, splitPath, type RawSegment } from './segments.js';

function isBadRequest(segment: string, message?: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'BadRequest');
    assert.ok(error.message.includes(`'${segment}'`), `message names the segment: ${error.message}`);
    if (message) assert.equal(error.message, message);
    return true;
  };
}

describe('parseSegment', () => {
  const ok: [string, RawSegment][] = [
    ['connectors', { text: 'connectors', name: 'connectors' }],
    ["connectors('x')", { text: "connectors('x')", name: 'connectors', key: 'x' }],
    ['connectors(x)', { text: 'connectors(x)', name: 'connectors', key: 'x' }],
    ["connectors(id='x')", { text: "connectors(id='x')", name: 'connectors', key: 'x' }],
    ["connectors( id = 'x' )", { text: "connectors( id = 'x' )", name: 'connectors', key: 'x' }],
    ["connectors('O''Brien')", { text: "connectors('O''Brien')", name: 'connectors', key: "O'Brien" }],
    ["connectors('''')", { text: "connectors('''')", name: 'connectors', key: "'" }],
    ["connectors('a''''b')", { text: "connectors('a''''b')", name: 'connectors', key: "a''b" }],
    ["connectors('')", { text: "connectors('')", name: 'connectors', key: '' }],
    ["connectors('a(b)c')", { text: "connectors('a(b)c')", name: 'connectors', key: 'a(b)c' }],
    ["connectors('a b/c')", { text: "connectors('a b/c')", name: 'connectors', key: 'a b/c' }],
    [
      'connectors(D2B1E8E8-8511-49D6-A4BA-323CB083FBB0)',
      {
        text: 'connectors(D2B1E8E8-8511-49D6-A4BA-323CB083FBB0)',
        name: 'connectors',
        key: 'D2B1E8E8-8511-49D6-A4BA-323CB083FBB0',
      },
    ],
    ['connectors(42)', { text: 'connectors(42)', name: 'connectors', key: '42' }],
    ['$count', { text: '$count', name: '$count' }],
    [
      'microsoft.graph.ipSegmentConfiguration',
      { text: 'microsoft.graph.ipSegmentConfiguration', name: 'microsoft.graph.ipSegmentConfiguration' },
    ],
  ];
  for (const [input, expected] of ok) {
    test(`parses ${input}`, () => {
      assert.deepEqual(parseSegment(input), expected);
    });
  }

  const malformed = [
    "connectors('x)", // unterminated
    "connectors(x')", // no opening quote: not a bare literal either
    "connectors(')", // a lone quote
    "connectors('a'b')", // an unescaped quote inside
    "connectors(''')", // odd number of quotes
    'connectors()', // empty key
    'connectors(a b)', // bare literal with a space
    "connectors(a='x',b='y')", // composite keys are not keys of this family
    'connectors(id=)',
  ];
  for (const input of malformed) {
    test(`refuses ${input} with 400 naming the segment`, () => {
      assert.throws(
        () => parseSegment(input),
        isBadRequest(input, `Bad Request - Error in query syntax: the key in segment '${input}' is not valid.`),
      );
    });
  }
});

describe('parseKeyLiteral', () => {
  const cases: [string, string][] = [
    ["'x'", 'x'],
    ['x', 'x'],
    ["id='x'", 'x'],
    ['  x  ', 'x'],
    ["'it''s'", "it's"],
    ['1.5', '1.5'],
    ['a_b-c', 'a_b-c'],
  ];
  for (const [literal, expected] of cases) {
    test(`${literal} → ${expected}`, () => {
      assert.equal(parseKeyLiteral(literal, `s(${literal})`), expected);
    });
  }
  test('the error names the segment given, not the literal', () => {
    assert.throws(() => parseKeyLiteral("'x", "connectors('x)"), isBadRequest("connectors('x)"));
  });
});

describe('splitPath', () => {
  test('splits on / and drops empty segments (leading, doubled and trailing slashes)', () => {
    assert.deepEqual(
      splitPath('/onPremisesPublishingProfiles//applicationProxy/connectors/').map((s) => s.name),
      ['onPremisesPublishingProfiles', 'applicationProxy', 'connectors'],
    );
    assert.deepEqual(splitPath(''), []);
    assert.deepEqual(splitPath('///'), []);
  });

  test('percent-decodes each segment before reading keys', () => {
    assert.deepEqual(splitPath('connectors(%27x%27)'), [{ text: "connectors('x')", name: 'connectors', key: 'x' }]);
    assert.deepEqual(splitPath('connectors%28%27x%27%29'), [{ text: "connectors('x')", name: 'connectors', key: 'x' }]);
    assert.deepEqual(splitPath("connectors('O%27%27Brien')"), [
      { text: "connectors('O''Brien')", name: 'connectors', key: "O'Brien" },
    ]);
    assert.deepEqual(splitPath('%24count'), [{ text: '$count', name: '$count' }]);
    assert.deepEqual(splitPath('a%20b'), [{ text: 'a b', name: 'a b' }]);
  });

  test('an encoded slash stays inside its segment (decoding happens after splitting)', () => {
    assert.deepEqual(splitPath("connectors('a%2Fb')/x"), [
      { text: "connectors('a/b')", name: 'connectors', key: 'a/b' },
      { text: 'x', name: 'x' },
    ]);
    assert.deepEqual(splitPath('a%2Fb'), [{ text: 'a/b', name: 'a/b' }]);
  });

  test('an invalid percent-encoding is a 400 naming the raw segment', () => {
    assert.throws(
      () => splitPath('connectors/%E0%A4%A'),
      isBadRequest('%E0%A4%A', "Resource not found for the segment '%E0%A4%A'."),
    );
    assert.throws(() => splitPath('%zz'), isBadRequest('%zz'));
  });

  test('a malformed key anywhere in the path is a 400', () => {
    assert.throws(() => splitPath("onPremisesPublishingProfiles('applicationProxy')/connectors('x)"), GraphError);
  });
});
