import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { printFilter } from './filter-ast.js';
import { parseFilterExpression } from './filter-parser.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_NODES } from './limits.js';
import { badRequest } from './test-fixtures.js';

const parse = (text: string) => printFilter(parseFilterExpression(text));

describe('$filter parser: valid expressions', () => {
  const cases: [string, string][] = [
    // comparisons and literals
    ["machineName eq 'connectorA'", "(eq machineName 'connectorA')"],
    ["machineName EQ 'a'", "(eq machineName 'a')"],
    ["machineName ne 'it''s'", "(ne machineName 'it''s')"],
    ["name eq ''", "(eq name '')"],
    ["name eq ''''", "(eq name '''')"],
    ["name eq 'a b  c'", "(eq name 'a b  c')"],
    ["name eq 'ünïcødé ✓'", "(eq name 'ünïcødé ✓')"],
    ['port gt 5', '(gt port 5)'],
    ['port ge -5', '(ge port -5)'],
    ['port lt 3.25', '(lt port 3.25)'],
    ['port le -0.5', '(le port -0.5)'],
    ['port eq 1e3', '(eq port 1000)'],
    ['isDefault eq true', '(eq isDefault true)'],
    ['isDefault eq False', '(eq isDefault false)'],
    ['region eq null', '(eq region null)'],
    ['region ne NULL', '(ne region null)'],
    ['id eq 3F2504E0-4F89-11D3-9A0C-0305E82C3301', '(eq id guid(3f2504e0-4f89-11d3-9a0c-0305e82c3301))'],
    ['id eq abcdef01-2345-6789-abcd-ef0123456789', '(eq id guid(abcdef01-2345-6789-abcd-ef0123456789))'],
    ['createdDateTime ge 2024-01-01T00:00:00Z', '(ge createdDateTime datetime(2024-01-01T00:00:00.000Z))'],
    ['createdDateTime lt 2024-01-01T01:00:00+01:00', '(lt createdDateTime datetime(2024-01-01T00:00:00.000Z))'],
    ['createdDateTime lt 2024-06-30T23:59:59.1234567-02:30', '(lt createdDateTime datetime(2024-07-01T02:29:59.123Z))'],
    ['createdDateTime lt 2024-01-01T10:00', '(lt createdDateTime datetime(2024-01-01T10:00:00.000Z))'],
    ['createdDateTime gt 2024-02-29', '(gt createdDateTime date(2024-02-29))'],
    ['x/updateWindowStartTime ge 09:30', '(ge x/updateWindowStartTime time(09:30:00.0000000))'],
    ['x/updateWindowStartTime ge 09:30:15.5', '(ge x/updateWindowStartTime time(09:30:15.5000000))'],
    ["status eq microsoft.graph.connectorStatus'active'", "(eq status enum(microsoft.graph.connectorStatus'active'))"],
    ["status eq graph.connectorStatus'inactive'", "(eq status enum(graph.connectorStatus'inactive'))"],
    ["'x' eq machineName", "(eq 'x' machineName)"],
    ['null eq region', '(eq null region)'],
    // logic and precedence
    ['a eq 1 and b eq 2 or c eq 3', '(or (and (eq a 1) (eq b 2)) (eq c 3))'],
    ['a eq 1 or b eq 2 and c eq 3', '(or (eq a 1) (and (eq b 2) (eq c 3)))'],
    ['(a eq 1 or b eq 2) and c eq 3', '(and (or (eq a 1) (eq b 2)) (eq c 3))'],
    ['a eq 1 and b eq 2 and c eq 3', '(and (and (eq a 1) (eq b 2)) (eq c 3))'],
    ['a eq 1 AND b eq 2 Or c eq 3', '(or (and (eq a 1) (eq b 2)) (eq c 3))'],
    ["not machineName eq 'x'", "(not (eq machineName 'x'))"],
    ["not (machineName eq 'x')", "(not (eq machineName 'x'))"],
    ["NOT(machineName eq 'x')", "(not (eq machineName 'x'))"],
    ['not a eq 1 and b eq 2', '(and (not (eq a 1)) (eq b 2))'],
    ['not not isDefault', '(not (not isDefault))'],
    ['isDefault', 'isDefault'],
    ['true', 'true'],
    ['((((isDefault))))', 'isDefault'],
    ["  machineName   eq\t'x'  ", "(eq machineName 'x')"],
    // in, has
    ["status in ('active', 'inactive')", "(in status ['active' 'inactive'])"],
    ["status IN ('active')", "(in status ['active'])"],
    ["region in ('nam', null)", "(in region ['nam' null])"],
    ['id in (3f2504e0-4f89-11d3-9a0c-0305e82c3301,5)', '(in id [guid(3f2504e0-4f89-11d3-9a0c-0305e82c3301) 5])'],
    ["protocol has 'tcp'", "(has protocol 'tcp')"],
    [
      "protocol has microsoft.graph.privateNetworkProtocol'tcp,udp'",
      "(has protocol enum(microsoft.graph.privateNetworkProtocol'tcp,udp'))",
    ],
    // functions
    ["startswith(machineName,'conn')", "(startswith machineName 'conn')"],
    ["startsWith(machineName, 'conn')", "(startswith machineName 'conn')"],
    ["endswith(machineName,'A')", "(endswith machineName 'A')"],
    ["contains(machineName,'nect')", "(contains machineName 'nect')"],
    ["tolower(machineName) eq 'x'", "(eq (tolower machineName) 'x')"],
    ["not startswith(machineName,'x')", "(not (startswith machineName 'x'))"],
    ['now()', '(now)'],
    // paths
    ["onPremisesPublishing/externalUrl eq 'https://x'", "(eq onPremisesPublishing/externalUrl 'https://x')"],
    [
      'hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime lt 10:00:00',
      '(lt hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime time(10:00:00.0000000))',
    ],
    ['$it/machineName eq 1', '(eq $it/machineName 1)'],
    ['ports/$count eq 0', '(eq ports/$count 0)'],
    // lambdas
    ["supportedPublishingTypes/any(t: t eq 'provisioning')", "(any supportedPublishingTypes t (eq t 'provisioning'))"],
    ["supportedPublishingTypes/any(t:t eq 'provisioning')", "(any supportedPublishingTypes t (eq t 'provisioning'))"],
    [
      "supportedPublishingTypes/ANY( t : t eq 'provisioning' )",
      "(any supportedPublishingTypes t (eq t 'provisioning'))",
    ],
    ["ports/any(p: startswith(p,'44'))", "(any ports p (startswith p '44'))"],
    ['ports/any()', '(any ports)'],
    ["ports/all(p: p ne '80')", "(all ports p (ne p '80'))"],
    ["NOT ports/any(p: p eq '80')", "(not (any ports p (eq p '80')))"],
    [
      "web/redirectUriSettings/any(r: r/uri eq 'x' and r/index gt 1)",
      "(any web/redirectUriSettings r (and (eq r/uri 'x') (gt r/index 1)))",
    ],
    ["a/any(x: x/b/any(y: y eq 'z'))", "(any a x (any x/b y (eq y 'z')))"],
    ["ports/any(p: p eq '443') and not ports/any()", "(and (any ports p (eq p '443')) (not (any ports)))"],
  ];
  for (const [input, expected] of cases) {
    test(input, () => assert.equal(parse(input), expected));
  }
});

describe('$filter parser: invalid expressions are 400 "Invalid filter clause"', () => {
  const cases: [string, string | RegExp][] = [
    ['', 'Invalid filter clause: the expression is empty at position 0.'],
    ['   ', 'Invalid filter clause: the expression is empty at position 0.'],
    ["machineName eq 'x", 'Invalid filter clause: unterminated string literal at position 15.'],
    ["machineName eq 'it''s", 'Invalid filter clause: unterminated string literal at position 15.'],
    [
      "machineName eq 'a\u0000b'",
      'Invalid filter clause: string literals cannot contain the character U+0000 at position 15.',
    ],
    ['machineName eq', 'Invalid filter clause: the expression ended where an operand was expected at position 14.'],
    ["eq 'x'", "Invalid filter clause: expected an operand but found the operator 'eq' at position 0."],
    ["machineName 'x'", /^Invalid filter clause: unexpected ''x''; expected an operator .* at position 12\.$/],
    ["machineName = 'x'", "Invalid filter clause: unexpected '=' (use 'eq') at position 12."],
    ["machineName == 'x'", "Invalid filter clause: unexpected '==' (use 'eq') at position 12."],
    ["machineName != 'x'", "Invalid filter clause: unexpected '!=' (use 'ne') at position 12."],
    ['port > 5', "Invalid filter clause: unexpected '>' (use 'gt') at position 5."],
    [
      'machineName eq "x"',
      "Invalid filter clause: unexpected '\"' (string literals are written in single quotes) at position 15.",
    ],
    ['a eq 1 && b eq 2', "Invalid filter clause: unexpected '&&' (use 'and') at position 7."],
    ["machineName eq 'x' nd status eq 'y'", /unexpected 'nd'; expected an operator .* at position 19\.$/],
    [
      "(machineName eq 'x'",
      /expected '\)' to close the '\(' at position 0 but found the end of the expression at position 19\.$/,
    ],
    ["machineName eq 'x')", /unexpected '\)'; expected an operator .* at position 18\.$/],
    ['()', /expected an operand .* but found '\)' at position 1\.$/],
    ['a eq 1 and', 'Invalid filter clause: the expression ended where an operand was expected at position 10.'],
    ['a eq 1 or or b eq 2', "Invalid filter clause: expected an operand but found the operator 'or' at position 10."],
    ['a eq b eq c', /comparisons cannot be chained.* at position 7\.$/],
    ['a eq 1 eq true', /comparisons cannot be chained/],
    ['status in ()', "Invalid filter clause: 'in' needs at least one value in its list at position 11."],
    [
      "status in 'active'",
      /expected '\(' to start the list of values after 'in' but found ''active'' at position 10\.$/,
    ],
    [
      "status in ('a' 'b')",
      /expected ',' or '\)' in the list of values started at position 10 but found ''b'' at position 15\.$/,
    ],
    ["startswith(machineName 'x')", /expected ',' or '\)' in the arguments of 'startswith' .* at position 23\.$/],
    [
      'startswith(machineName,',
      'Invalid filter clause: the expression ended where an operand was expected at position 23.',
    ],
    ["any(t: t eq 'x')", /'any' must follow a collection-valued property.* at position 0\.$/],
    ['ports/any(p p)', /expected ':' after the lambda variable 'p' but found 'p' at position 12\.$/],
    ['ports/any(: 1)', /expected a lambda variable name .* at position 10\.$/],
    ['ports/all()', /'all' needs a condition/],
    ["ports/any(p: p eq '1'", /expected '\)' to close 'any\(' at position 6/],
    ['ports/any(p: p eq 1)/x', "Invalid filter clause: a path cannot continue after 'any' at position 20."],
    ['ports/$count/x eq 1', "Invalid filter clause: a path cannot continue after '$count' at position 12."],
    ['a/ eq 1', "Invalid filter clause: expected a property name after '/' but found 'eq' at position 3."],
    ['a/5 eq 1', "Invalid filter clause: expected a property name after '/' but found '5' at position 2."],
    [
      "microsoft.graph.connector/machineName eq 'x'",
      /type casts and qualified names .* are not supported at position 0\.$/,
    ],
    ["status eq duration'P1D'", /typed literals such as 'duration'…'' are not supported at position 10\.$/],
    ['port eq 5L', "Invalid filter clause: '5L' is not a valid literal at position 8."],
    ['port eq 1.2.3', "Invalid filter clause: '1.2.3' is not a valid literal at position 8."],
    ['port eq 1e999', "Invalid filter clause: the number '1e999' is out of range at position 8."],
    [
      'd eq 2024-02-30T00:00:00Z',
      "Invalid filter clause: '2024-02-30T00:00:00Z' is not a valid date and time at position 5.",
    ],
    ['d eq 2023-02-29', "Invalid filter clause: '2023-02-29' is not a valid date at position 5."],
    ['d eq 2024-13-01', "Invalid filter clause: '2024-13-01' is not a valid date at position 5."],
    ['d eq 2024-01-01T24:00:00Z', /is not a valid date and time at position 5\.$/],
    ['d eq 2024-01-01T10:00:00+25:00', /has an invalid time zone offset at position 5\.$/],
    [
      'd eq 2024-01-01T10:00:00 01:00',
      /the '\+' of a date-time offset must be percent-encoded as %2B in a URL at position 24\.$/,
    ],
    ['t eq 25:00', "Invalid filter clause: '25:00' is not a valid time of day at position 5."],
    ['t eq 10:00:00.12345678', "Invalid filter clause: '10:00:00.12345678' is not a valid time of day at position 5."],
    ['id eq 3f2504e0-4f89-11d3-9a0c-0305e82c330', /at position 6\.$/],
    ['a eq #', "Invalid filter clause: unexpected character '#' at position 5."],
    ['a eq [1]', "Invalid filter clause: unexpected character '[' at position 5."],
    ['not', 'Invalid filter clause: the expression ended where an operand was expected at position 3.'],
  ];
  for (const [input, message] of cases) {
    test(JSON.stringify(input), () => assert.throws(() => parseFilterExpression(input), badRequest(message)));
  }
});

describe('$filter parser: limits', () => {
  test('the limits are exported with sane values', () => {
    assert.equal(MAX_FILTER_LENGTH, 4096);
    assert.equal(MAX_FILTER_DEPTH, 32);
    assert.equal(MAX_FILTER_NODES, 500);
  });

  test('an expression longer than the limit is refused before lexing, naming the limit', () => {
    const text = `machineName eq '${'x'.repeat(MAX_FILTER_LENGTH)}'`;
    assert.throws(
      () => parseFilterExpression(text),
      badRequest(
        `Invalid filter clause: the expression is ${text.length} characters long, more than the limit of ${MAX_FILTER_LENGTH}.`,
      ),
    );
  });

  test('an expression at the length limit is accepted', () => {
    const prefix = "machineName eq '";
    const text = `${prefix}${'x'.repeat(MAX_FILTER_LENGTH - prefix.length - 1)}'`;
    assert.equal(text.length, MAX_FILTER_LENGTH);
    assert.doesNotThrow(() => parseFilterExpression(text));
  });

  test('a 1 MB expression is refused quickly', () => {
    const text = `${"machineName eq 'x' or ".repeat(50_000)}isDefault`;
    assert.ok(text.length > 1_000_000);
    const started = performance.now();
    assert.throws(() => parseFilterExpression(text), badRequest(/more than the limit of 4096\.$/));
    assert.ok(performance.now() - started < 1000, 'refused in well under a second');
  });

  test('10,000 levels of parentheses are refused quickly (by length)', () => {
    const text = `${'('.repeat(10_000)}isDefault${')'.repeat(10_000)}`;
    const started = performance.now();
    assert.throws(() => parseFilterExpression(text), badRequest(/more than the limit of 4096\.$/));
    assert.ok(performance.now() - started < 1000);
  });

  test('10,000 levels of parentheses are refused by depth even with no length limit, without recursing', () => {
    const text = `${'('.repeat(10_000)}isDefault${')'.repeat(10_000)}`;
    const started = performance.now();
    assert.throws(
      () => parseFilterExpression(text, { maxLength: Infinity, maxNodes: Infinity }),
      badRequest(
        `Invalid filter clause: the expression is nested more than ${MAX_FILTER_DEPTH} levels deep, the limit.`,
      ),
    );
    assert.ok(performance.now() - started < 1000);
  });

  test('10,000 nested nots are refused by depth even with no length limit, without recursing', () => {
    const text = 'not '.repeat(10_000);
    assert.throws(
      () => parseFilterExpression(text, { maxLength: Infinity, maxNodes: Infinity }),
      badRequest(/nested more than 32 levels/),
    );
  });

  test('nesting at the depth limit is accepted; one more level is refused', () => {
    const nest = (n: number) => `${'('.repeat(n)}isDefault${')'.repeat(n)}`;
    assert.equal(parse(nest(MAX_FILTER_DEPTH)), 'isDefault');
    assert.throws(
      () => parseFilterExpression(nest(MAX_FILTER_DEPTH + 1)),
      badRequest(/nested more than 32 levels deep/),
    );
  });

  const deep: [string, string][] = [
    ['not', `${'not '.repeat(MAX_FILTER_DEPTH + 1)}isDefault`],
    ['lambdas', `${'a/any(x: '.repeat(MAX_FILTER_DEPTH + 1)}true${')'.repeat(MAX_FILTER_DEPTH + 1)}`],
    ['function calls', `${'tolower('.repeat(MAX_FILTER_DEPTH + 1)}a${')'.repeat(MAX_FILTER_DEPTH + 1)} eq 'x'`],
    ['mixed', `${'not ('.repeat(17)}isDefault${')'.repeat(17)}`],
  ];
  for (const [what, text] of deep) {
    test(`depth counts ${what}`, () =>
      assert.throws(() => parseFilterExpression(text), badRequest(/nested more than 32 levels deep/)));
  }

  test('more nodes than the limit are refused, naming the limit', () => {
    const text = `id in (${Array.from({ length: MAX_FILTER_NODES }, () => '1').join(',')})`;
    assert.ok(text.length < MAX_FILTER_LENGTH);
    assert.throws(
      () => parseFilterExpression(text),
      badRequest(`Invalid filter clause: the expression has more than ${MAX_FILTER_NODES} nodes, the limit.`),
    );
  });

  test('long or-chains within the limits parse (left-deep, no recursion per operand)', () => {
    const text = Array.from({ length: 120 }, (_, i) => `a eq ${i}`).join(' or ');
    assert.ok(parse(text).startsWith('(or (or (or'));
  });
});
