import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ControlledClock } from './controlled-clock.js';
import { parseDuration, formatDuration } from './durations.js';
import { SeededIds, seededGuid, seededRandom } from './seeded-ids.js';

const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ControlledClock', () => {
  test('follows real time by default', () => {
    let real = 1_000_000;
    const clock = new ControlledClock(() => real);
    assert.equal(clock.now().getTime(), 1_000_000);
    real += 500;
    assert.equal(clock.now().getTime(), 1_000_500);
    assert.deepEqual(clock.state(), { mode: 'system', now: new Date(1_000_500).toISOString() });
  });

  test('frozen: stays, and advancing moves the frozen instant', () => {
    let real = 0;
    const clock = new ControlledClock(() => real);
    clock.freeze(new Date('2030-01-01T00:00:00Z'));
    real += 10_000;
    assert.equal(clock.now().toISOString(), '2030-01-01T00:00:00.000Z');
    clock.advance(90);
    assert.equal(clock.now().toISOString(), '2030-01-01T00:01:30.000Z');
    assert.equal(clock.state().mode, 'frozen');
  });

  test('advancing a running clock shifts it; system() undoes everything', () => {
    let real = 0;
    const clock = new ControlledClock(() => real);
    clock.advance(30);
    assert.equal(clock.now().getTime(), 30_000);
    real = 1000;
    assert.equal(clock.now().getTime(), 31_000);
    assert.deepEqual(clock.state(), { mode: 'offset', now: new Date(31_000).toISOString(), offsetSeconds: 30 });
    clock.system();
    assert.equal(clock.now().getTime(), 1000);
  });

  test('tells listeners of each change; refuses invalid input', () => {
    const clock = new ControlledClock();
    let changes = 0;
    const off = clock.onChange(() => changes++);
    clock.freeze(new Date());
    clock.advance(1);
    clock.system();
    off();
    clock.advance(1);
    assert.equal(changes, 3);
    assert.throws(() => clock.freeze(new Date('nope')), RangeError);
    assert.throws(() => clock.advance(Number.NaN), RangeError);
  });
});

describe('SeededIds', () => {
  test('random v4 GUIDs without a seed', () => {
    const ids = new SeededIds();
    const a = ids.newId();
    assert.match(a, GUID_V4);
    assert.notEqual(ids.newId(), a);
  });

  test('the same seed gives the same sequence, from its start each time it is set', () => {
    const one = new SeededIds('test-seed');
    const first = [one.newId(), one.newId(), one.newId()];
    for (const id of first) assert.match(id, GUID_V4);
    assert.equal(new Set(first).size, 3);
    const two = new SeededIds('test-seed');
    assert.deepEqual([two.newId(), two.newId(), two.newId()], first);
    two.setSeed('test-seed');
    assert.equal(two.newId(), first[0]);
    assert.equal(two.issued, 1);
    two.setSeed('other');
    assert.notEqual(two.newId(), first[0]);
    two.setSeed(undefined);
    assert.equal(two.currentSeed, undefined);
  });

  test('seededGuid is a pure function of seed and counter', () => {
    assert.equal(seededGuid('s', 7), seededGuid('s', 7));
    assert.notEqual(seededGuid('s', 7), seededGuid('s', 8));
    assert.match(seededGuid('s', 0), GUID_V4);
  });

  test('seededRandom repeats per seed and stays in [0, 1)', () => {
    const a = seededRandom('x');
    const b = seededRandom('x');
    const draws = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      Array.from({ length: 1000 }, () => b()),
      draws,
    );
    assert.ok(draws.every((d) => d >= 0 && d < 1));
    const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
    assert.ok(mean > 0.4 && mean < 0.6, `mean ${mean}`);
    assert.notEqual(seededRandom('y')(), seededRandom('x')());
  });
});

describe('durations', () => {
  test('reads ms, s, m, h and bare seconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('60'), 60_000);
    for (const bad of ['', 's', '-1s', '1d', 'ten']) assert.equal(parseDuration(bad), undefined, bad);
    assert.equal(formatDuration(250), '250 ms');
    assert.equal(formatDuration(60_000), '60 s');
  });
});
