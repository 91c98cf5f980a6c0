import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { orderBySql } from './keyset.js';
import { MAX_ORDERBY_KEYS, MAX_ORDERBY_LENGTH } from './limits.js';
import { parseOrderBy, printOrderBy } from './orderby.js';
import { model, tables, badRequest } from './test-fixtures.js';
import { postgresDialect } from '../../store/postgres-dialect.js';
import { sqliteDialect } from '../../store/sqlite-dialect.js';

const connector = tables.connectors.type;
const application = tables.applications.type;

describe('$orderby: accepted', () => {
  const cases: [string | undefined, string, string?][] = [
    [undefined, 'id'],
    ['machineName', 'machineName,id'],
    ['machineName asc', 'machineName,id'],
    ['machineName desc', 'machineName desc,id'],
    ['MachineName DESC', 'machineName desc,id'],
    ['machineName Asc, status desc', 'machineName,status desc,id'],
    ['  machineName   desc ,status  ', 'machineName desc,status,id'],
    ['status,version desc,externalIp', 'status,version desc,externalIp,id'],
    ['id desc', 'id desc,id'],
    ['onPremisesPublishing/externalUrl', 'onPremisesPublishing/externalUrl,id', 'application'],
    [
      'onPremisesPublishing/singleSignOnSettings/singleSignOnMode desc',
      'onPremisesPublishing/singleSignOnSettings/singleSignOnMode desc,id',
      'application',
    ],
    ['createdDateTime desc, displayName', 'createdDateTime desc,displayName,id', 'application'],
  ];
  for (const [input, expected, type] of cases) {
    test(String(input), () =>
      assert.equal(
        printOrderBy(parseOrderBy(input, type === 'application' ? application : connector, model)),
        expected,
      ),
    );
  }

  test('keys know their kind, direction and path', () => {
    const keys = parseOrderBy(
      'onPremisesPublishing/isSecureCookieEnabled desc, createdDateTime, onPremisesPublishing/externalAuthenticationType',
      application,
      model,
    );
    assert.deepEqual(
      keys.map((k) => [k.path.join('/'), k.kind, k.descending, k.tieBreaker]),
      [
        ['onPremisesPublishing/isSecureCookieEnabled', 'boolean', true, false],
        ['createdDateTime', 'dateTimeOffset', false, false],
        ['onPremisesPublishing/externalAuthenticationType', 'enum', false, false],
        ['id', 'text', false, true],
      ],
    );
  });
});

describe('$orderby: refused with 400', () => {
  const cases: [string, string | RegExp, string?][] = [
    ['', 'Invalid $orderby clause: the option is empty at position 0.'],
    ['nope', "Property 'nope' does not exist as a declared property or extension property."],
    [
      'onPremisesPublishing/nope',
      "Property 'nope' does not exist as a declared property or extension property.",
      'application',
    ],
    ['machineName, machineName desc', "Property 'machineName' appears more than once in $orderby."],
    ['machineName, MACHINENAME', "Property 'machineName' appears more than once in $orderby."],
    ['memberOf', "The navigation property 'memberOf' cannot be used in $orderby."],
    ['tags', "Property 'tags' is a collection and cannot be used in $orderby.", 'application'],
    ['web/redirectUris', "Property 'web/redirectUris' is a collection and cannot be used in $orderby.", 'application'],
    [
      'onPremisesPublishing',
      /Property 'onPremisesPublishing' is of complex type 'microsoft.graph.onPremisesPublishing' and cannot be used in \$orderby/,
      'application',
    ],
    [
      'onPremisesPublishing/verifiedCustomDomainKeyCredential/customKeyIdentifier',
      "Property 'onPremisesPublishing/verifiedCustomDomainKeyCredential/customKeyIdentifier' of type 'Edm.Binary' cannot be used in $orderby.",
      'application',
    ],
    [
      'onPremisesPublishing/verifiedCustomDomainPasswordCredential/secretText',
      "Property 'onPremisesPublishing/verifiedCustomDomainPasswordCredential/secretText' is write-only and cannot be used in $orderby.",
      'application',
    ],
    [
      'machineName sideways',
      /expected ',', 'asc', 'desc' or the end after 'machineName' \(at position 0\) but found 'sideways' at position 12\.$/,
    ],
    ['machineName asc desc', /but found 'desc' at position 16\.$/],
    [
      'machineName,',
      'Invalid $orderby clause: expected a property name but found the end of the option at position 12.',
    ],
    [',machineName', "Invalid $orderby clause: expected a property name but found ',' at position 0."],
    [
      'machineName/',
      'Invalid $orderby clause: expected a property name but found the end of the option at position 12.',
    ],
    ["'machineName'", "Invalid $orderby clause: expected a property name but found ''machineName'' at position 0."],
    [
      'tolower(machineName)',
      /functions and lambdas such as 'tolower\(' are not supported in \$orderby at position 7\.$/,
    ],
    ['microsoft.graph.connector/machineName', /expected a property name but found 'microsoft.graph.connector'/],
    ['$it/machineName', /expected a property name but found '\$it'/],
    ['machineName;drop', "Invalid $orderby clause: unexpected character ';' at position 11."],
    ['machineName/length', "'machineName' is of type 'Edm.String' and has no property 'length'."],
    [
      'x'.repeat(MAX_ORDERBY_LENGTH + 1),
      `Invalid $orderby clause: the option is ${MAX_ORDERBY_LENGTH + 1} characters long, more than the limit of ${MAX_ORDERBY_LENGTH}.`,
    ],
  ];
  for (const [input, message, type] of cases) {
    test(JSON.stringify(input.slice(0, 60)), () =>
      assert.throws(
        () => parseOrderBy(input, type === 'application' ? application : connector, model),
        badRequest(message),
      ),
    );
  }

  test(`more than ${MAX_ORDERBY_KEYS} keys`, () => {
    const names = [
      'displayName',
      'description',
      'createdDateTime',
      'appId',
      'signInAudience',
      'deletedDateTime',
      'id',
      'onPremisesPublishing/externalUrl',
      'onPremisesPublishing/internalUrl',
    ];
    assert.equal(names.length, MAX_ORDERBY_KEYS + 1);
    assert.throws(
      () => parseOrderBy(names.join(','), application, model),
      badRequest(`Invalid $orderby clause: more than ${MAX_ORDERBY_KEYS} properties, the limit.`),
    );
    assert.equal(
      parseOrderBy(names.slice(0, MAX_ORDERBY_KEYS).join(','), application, model).length,
      MAX_ORDERBY_KEYS + 1,
    );
  });
});

describe('$orderby: ORDER BY text', () => {
  test('SQLite: case-insensitive strings, explicit NULL placement, enums by declared value, id last', () => {
    const keys = parseOrderBy('machineName desc, status', connector, model);
    // machineName is not nullable: no NULLS clause, so PostgreSQL can read it from an index in
    // order; the enum's CASE is NULL for text that is no member, so it keeps its clause.
    assert.equal(
      orderBySql(keys, tables.connectors, sqliteDialect),
      "lower(connectors.machine_name) DESC, (CASE connectors.status WHEN 'active' THEN 0 WHEN 'inactive' THEN 1 END) ASC NULLS FIRST, connectors.id ASC",
    );
    assert.equal(
      orderBySql(parseOrderBy('description desc', application, model), tables.applications, sqliteDialect),
      'lower(applications.description) DESC NULLS LAST, applications.id ASC',
      'a nullable property keeps NULLs last descending',
    );
  });

  test('PostgreSQL: the same order under the C collation', () => {
    const keys = parseOrderBy(
      'onPremisesPublishing/externalUrl, createdDateTime desc, onPremisesPublishing/isSecureCookieEnabled',
      application,
      model,
    );
    assert.equal(
      orderBySql(keys, tables.applications, postgresDialect),
      'lower(((applications.on_premises_publishing)::jsonb #>> \'{externalUrl}\') COLLATE "C") ASC NULLS FIRST, ' +
        '(to_char(CAST(applications.created_date_time AS timestamptz) AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\') COLLATE "C") DESC NULLS LAST, ' +
        "CAST(((applications.on_premises_publishing)::jsonb #>> '{isSecureCookieEnabled}') AS boolean) ASC NULLS FIRST, " +
        '(applications.id COLLATE "C") ASC',
    );
  });
});
