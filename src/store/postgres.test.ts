import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conflictBackoffMs, isRetryableConflict, isUnstorableValue, numberPlaceholders } from './postgres.js';

describe('PostgreSQL driver helpers', () => {
  it('numbers ? placeholders outside quoted text', () => {
    assert.equal(numberPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?"), "SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2");
  });

  it('retries serialisation failures and deadlocks only', () => {
    assert.equal(isRetryableConflict({ code: '40001' }), true);
    assert.equal(isRetryableConflict({ code: '40P01' }), true);
    assert.equal(isRetryableConflict({ code: '23505' }), false);
    assert.equal(isRetryableConflict(null), false);
  });

  it('tells values PostgreSQL cannot store (U+0000, an index entry too large) from other errors', () => {
    for (const code of ['22021', '22P05', '54000']) assert.equal(isUnstorableValue({ code }), true);
    assert.equal(isUnstorableValue({ code: '40001' }), false);
    assert.equal(isUnstorableValue(undefined), false);
  });

  it('backs off exponentially with full jitter, capped at 1 s a wait', () => {
    assert.equal(conflictBackoffMs(1, 1), 8);
    assert.equal(conflictBackoffMs(4, 1), 64);
    assert.equal(conflictBackoffMs(7, 1), 512);
    assert.equal(conflictBackoffMs(8, 1), 1000);
    assert.equal(conflictBackoffMs(15, 1), 1000);
    assert.equal(conflictBackoffMs(11, 0), 0);
    assert.equal(conflictBackoffMs(3, 0.5), 16);
  });
});
