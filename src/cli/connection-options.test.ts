import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectionOptions } from './connection-options.js';
import { UsageError } from './usage.js';

test('no option: nothing set, createApp keeps its defaults', () => {
  assert.deepEqual(parseConnectionOptions({}), {});
});

test('counts and milliseconds; 0 lifts a limit', () => {
  assert.deepEqual(
    parseConnectionOptions({
      'max-connections': '0',
      'max-requests-per-connection': '3',
      'headers-timeout': '1000',
      'request-timeout': '0',
      'keep-alive-timeout': '72000',
    }),
    {
      maxConnections: 0,
      maxRequestsPerConnection: 3,
      headersTimeoutMs: 1000,
      requestTimeoutMs: 0,
      keepAliveTimeoutMs: 72_000,
    },
  );
});

test('malformed values and impossible combinations are usage errors naming the option', () => {
  const refused: [Record<string, string>, RegExp][] = [
    [{ 'max-connections': '-1' }, /^--max-connections must be a whole number/],
    [{ 'max-requests-per-connection': 'lots' }, /^--max-requests-per-connection must be/],
    [{ 'headers-timeout': '1.5' }, /^--headers-timeout must be/],
    [{ 'request-timeout': '10s' }, /^--request-timeout must be/],
    [{ 'request-timeout': '100000000' }, /^--request-timeout must be a whole number from 0 to 86400000/],
    [{ 'keep-alive-timeout': '0' }, /^--keep-alive-timeout must be a whole number from 1/],
    [
      { 'headers-timeout': '5000', 'request-timeout': '1000' },
      /^--headers-timeout \(5000\) must not exceed --request-timeout \(1000\)/,
    ],
    // Against the default whole-request deadline (30 s) too.
    [{ 'headers-timeout': '60000' }, /must not exceed --request-timeout \(30000\)/],
  ];
  for (const [values, message] of refused) {
    assert.throws(
      () => parseConnectionOptions(values),
      (error: unknown) => error instanceof UsageError && message.test(error.message),
      JSON.stringify(values),
    );
  }
  // No whole-request deadline: the head's may be as long as wanted.
  assert.deepEqual(parseConnectionOptions({ 'headers-timeout': '60000', 'request-timeout': '0' }), {
    headersTimeoutMs: 60_000,
    requestTimeoutMs: 0,
  });
});
