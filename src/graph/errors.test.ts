import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, graphDate, GraphError, renderError, type ErrorContext } from './errors.js';

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

const context: ErrorContext = {
  requestId: '93b6f17e-c05d-4f45-ad2a-6665c708d8a0',
  clientRequestId: 'e70c5c1b-8b47-68c0-3171-3d22f5e0bd54',
  date: new Date('2025-02-13T10:17:06.789Z'),
};

interface Envelope {
  error: {
    code: string;
    message: string;
    details?: { code: string; message: string; target?: string }[];
    innerError: Record<string, string>;
  };
}

describe('renderError', () => {
  test('renders the Graph envelope with camelCase innerError and no details when there are none', () => {
    const body = renderError(errors.resourceNotFound('abc'), context);
    assert.deepEqual(body, {
      error: {
        code: 'Request_ResourceNotFound',
        message: "Resource 'abc' does not exist or one of its queried reference-property objects are not present.",
        innerError: {
          date: '2025-02-13T10:17:06',
          'request-id': '93b6f17e-c05d-4f45-ad2a-6665c708d8a0',
          'client-request-id': 'e70c5c1b-8b47-68c0-3171-3d22f5e0bd54',
        },
      },
    });
    assert.ok(!('details' in (body as Envelope).error), 'no details key at all when the error has none');
    assert.ok(!('innererror' in (body as Envelope).error));
  });

  test('keeps the key order code, message, details, innerError', () => {
    const body = renderError(errors.unknownProperty('foo', 'microsoft.graph.connector'), context) as Envelope;
    assert.deepEqual(Object.keys(body.error), ['code', 'message', 'details', 'innerError']);
    assert.deepEqual(Object.keys(body.error.innerError), ['date', 'request-id', 'client-request-id']);
  });

  test('includes details when present', () => {
    const body = renderError(errors.objectConflict('id', 'x1'), context) as Envelope;
    assert.equal(body.error.code, 'Request_BadRequest');
    assert.equal(body.error.message, 'Another object with the same value for property id already exists.');
    assert.deepEqual(body.error.details, [
      { code: 'ObjectConflict', message: "An object with id 'x1' already exists.", target: 'id' },
    ]);
  });

  test('a hand-made GraphError renders its own status-independent fields', () => {
    const error = new GraphError(418, 'Teapot', 'I am a teapot', [{ code: 'C', message: 'M' }]);
    const body = renderError(error, context) as Envelope;
    assert.equal(body.error.code, 'Teapot');
    assert.equal(body.error.message, 'I am a teapot');
    assert.deepEqual(body.error.details, [{ code: 'C', message: 'M' }]);
    assert.equal(error.status, 418);
    assert.equal(error.name, 'GraphError');
    assert.ok(error instanceof Error);
  });

  test('innerError.date is UTC with second precision and no Z', () => {
    const cases: [string, string][] = [
      ['2021-05-18T19:03:10.000Z', '2021-05-18T19:03:10'],
      ['2021-05-18T19:03:10.999Z', '2021-05-18T19:03:10'],
      ['2021-05-18T23:30:00.000+02:00', '2021-05-18T21:30:00'],
      ['1999-12-31T23:59:59.500Z', '1999-12-31T23:59:59'],
    ];
    for (const [input, expected] of cases) {
      assert.equal(graphDate(new Date(input)), expected, input);
      const body = renderError(errors.internal(), { ...context, date: new Date(input) }) as Envelope;
      assert.equal(body.error.innerError.date, expected);
      assert.match(body.error.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    }
  });
});

describe('error catalog', () => {
  const table: [string, GraphError, number, string, string][] = [
    [
      'invalidJson',
      errors.invalidJson(),
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    ],
    ['invalidVersion', errors.invalidVersion(), 400, 'BadRequest', 'Invalid version.'],
    ['segmentNotFound', errors.segmentNotFound('foo'), 400, 'BadRequest', "Resource not found for the segment 'foo'."],
    [
      'methodNotAllowed',
      errors.methodNotAllowed(),
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target.',
    ],
    [
      'resourceNotFound',
      errors.resourceNotFound('x'),
      404,
      'Request_ResourceNotFound',
      "Resource 'x' does not exist or one of its queried reference-property objects are not present.",
    ],
    [
      'accessDenied',
      errors.accessDenied(),
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    ],
    ['tokenMissing', errors.tokenMissing(), 401, 'InvalidAuthenticationToken', 'Access token is empty.'],
    [
      'tokenMalformed',
      errors.tokenMalformed(),
      401,
      'InvalidAuthenticationToken',
      'CompactToken parsing failed with error code: 80049217',
    ],
    [
      'tokenExpired',
      errors.tokenExpired(),
      401,
      'InvalidAuthenticationToken',
      'Access token has expired or is not yet valid.',
    ],
    ['tokenInvalid()', errors.tokenInvalid(), 401, 'InvalidAuthenticationToken', 'Access token validation failure.'],
    [
      'tokenInvalid(why)',
      errors.tokenInvalid('Invalid audience.'),
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
    ],
    [
      'requiredProperty',
      errors.requiredProperty('machineName', 'connector'),
      400,
      'Request_BadRequest',
      "A value is required for property 'machineName' of resource 'connector'.",
    ],
    [
      'payloadTooLarge',
      errors.payloadTooLarge(1024),
      413,
      'Request_EntityTooLarge',
      'The request body exceeds the limit of 1024 bytes.',
    ],
    ['internal', errors.internal(), 500, 'generalException', 'An unexpected error occurred on the server.'],
  ];
  for (const [name, error, status, code, message] of table) {
    test(`${name}: ${status} ${code}`, () => {
      assert.ok(error instanceof GraphError);
      assert.equal(error.status, status);
      assert.equal(error.code, code);
      assert.equal(error.message, message);
    });
  }

  test('every 401 carries the Graph WWW-Authenticate challenge, and only 401s do', () => {
    for (const [name, error, status] of table) {
      if (status === 401) assert.deepEqual(error.headers, { 'WWW-Authenticate': WWW_AUTHENTICATE }, name);
      else assert.equal(error.headers?.['WWW-Authenticate'], undefined, name);
    }
  });

  test('validation errors name the property in the message and in details[].target', () => {
    const cases: [GraphError, string][] = [
      [errors.unknownProperty('foo', 'microsoft.graph.connector'), 'foo'],
      [errors.invalidValue('status', 'connector', 'Bad.'), 'status'],
      [errors.requiredProperty('machineName', 'connector'), 'machineName'],
      [errors.readOnlyProperty('version', 'connector'), 'version'],
    ];
    for (const [error, property] of cases) {
      assert.equal(error.status, 400);
      assert.ok(error.message.includes(`'${property}'`), error.message);
      assert.equal(error.details?.[0].target, property);
    }
  });
});
