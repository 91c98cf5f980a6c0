import { decodeJwt } from 'jose';
import { errors, type GraphError } from '../graph/errors.js';
import { seededRandom } from '../admin/seeded-ids.js';

/**
 * Opt-in fault injection on the Graph surface (never on `/_admin/` or `/health`), off until rules
 * are given (`serve --faults FILE`, `PUT /_admin/faults`). A rule matches requests by method and
 * path pattern and answers some of them with Graph's throttling (429 with `Retry-After` and the
 * `x-ms-throttle-*` headers) or an outage (503, 504), and/or delays them:
 *
 * ```json
 * [{ "match": "GET /onPremisesPublishingProfiles/*\/connectors", "status": 429, "rate": 0.2, "retryAfterSeconds": 2 },
 *  { "match": "*", "status": 429, "bucket": { "capacity": 10, "refillPerSecond": 2 } },
 *  { "match": "POST *", "latencyMs": 250 }]
 * ```
 *
 * - `match`: `"METHOD PATTERN"` or `"PATTERN"` (any method), or `"*"` for everything. The pattern
 *   is compared, ignoring case, with the request's path after the version, both as sent
 *   (`/onPremisesPublishingProfiles/applicationProxy/connectors`) and as resolved with ids masked
 *   (`/onPremisesPublishingProfiles/{id}/connectors`); `*` stands for any part of one segment,
 *   `**` for anything.
 * - `rate` (0–1): the share of matching requests that fail, drawn from a seeded generator when
 *   the id seed is set (so a run repeats), at random otherwise. Default 1.
 * - `bucket`: Graph's identity throttling, a token bucket per rule and per tenant + app (read
 *   from the token): each matching request takes a token; with none left it is throttled, with a
 *   `Retry-After` of the time until the next token.
 * - `times`: at most this many faults from the rule, then it only matches (and delays).
 * - `latencyMs`: added to every matching request. Every matching rule adds its latency; the
 *   first rule whose fault fires answers.
 *
 * An injected answer carries `x-localgraph-fault: <rule index>`, so a test can tell it apart.
 */
export type FaultStatus = 429 | 503 | 504;

export interface FaultRule {
  match: string;
  status?: FaultStatus;
  rate?: number;
  bucket?: { capacity: number; refillPerSecond: number };
  retryAfterSeconds?: number;
  latencyMs?: number;
  times?: number;
}

export interface FaultRuleStats extends FaultRule {
  /** Requests the rule matched. */
  matched: number;
  /** Faults it answered with. */
  injected: number;
}

/** What a fault rule sees of a request. */
export interface FaultRequest {
  method: string;
  /** The path after the version, as sent. */
  path: string;
  /** The same, resolved with ids masked. */
  pattern: string;
  authorization?: string;
}

const STATUSES: readonly number[] = [429, 503, 504];
const RULE_KEYS = ['match', 'status', 'rate', 'bucket', 'retryAfterSeconds', 'latencyMs', 'times'];
const MAX_LATENCY_MS = 120_000;

/**
 * Reads fault rules from JSON (an array, or `{"rules": [...]}`); a mistake is a Graph-shaped 400
 * naming the rule and the field.
 */
export function readFaultRules(doc: unknown): FaultRule[] {
  const list = Array.isArray(doc)
    ? doc
    : typeof doc === 'object' && doc !== null && Array.isArray((doc as { rules?: unknown }).rules)
      ? (doc as { rules: unknown[] }).rules
      : undefined;
  if (!list)
    throw errors.adminBadRequest(
      'Fault rules are a JSON array (or {"rules": [...]}) of {"match", "status", "rate" | "bucket", "retryAfterSeconds", "latencyMs", "times"}.',
    );
  return list.map((raw, i) => readRule(raw, `rules[${i}]`));
}

function readRule(raw: unknown, at: string): FaultRule {
  const bad = (field: string, why: string): never => {
    const target = field === '' ? at : `${at}.${field}`;
    throw errors.adminBadRequest(`Invalid fault rule ${target}: ${why}`, target);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('', 'expected an object.');
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!RULE_KEYS.includes(key)) bad(key, `unknown member (a rule has ${RULE_KEYS.join(', ')}).`);
  if (typeof r.match !== 'string' || r.match.trim() === '')
    bad('match', 'expected "METHOD PATTERN", "PATTERN" or "*".');
  const rule: FaultRule = { match: (r.match as string).trim() };
  compileMatch(rule.match);
  if (r.status !== undefined) {
    if (!STATUSES.includes(r.status as number)) bad('status', 'expected 429, 503 or 504.');
    rule.status = r.status as FaultStatus;
  }
  const number = (field: string, min: number, max: number): number | undefined => {
    const value = r[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      bad(field, `expected a number from ${min} to ${max}.`);
    return value as number;
  };
  rule.rate = number('rate', 0, 1);
  rule.retryAfterSeconds = number('retryAfterSeconds', 0, 3600);
  rule.latencyMs = number('latencyMs', 0, MAX_LATENCY_MS);
  rule.times = number('times', 0, Number.MAX_SAFE_INTEGER);
  if (rule.times !== undefined && !Number.isInteger(rule.times)) bad('times', 'expected a whole number.');
  if (r.bucket !== undefined) {
    const b = r.bucket as Record<string, unknown>;
    if (typeof b !== 'object' || b === null) bad('bucket', 'expected {"capacity": N, "refillPerSecond": R}.');
    if (typeof b.capacity !== 'number' || !Number.isFinite(b.capacity) || b.capacity < 0)
      bad('bucket.capacity', 'expected a number of at least 0.');
    if (typeof b.refillPerSecond !== 'number' || !Number.isFinite(b.refillPerSecond) || b.refillPerSecond < 0)
      bad('bucket.refillPerSecond', 'expected a number of at least 0.');
    for (const key of Object.keys(b))
      if (key !== 'capacity' && key !== 'refillPerSecond') bad(`bucket.${key}`, 'unknown member.');
    if (rule.rate !== undefined) bad('bucket', "give 'rate' or 'bucket', not both.");
    rule.bucket = { capacity: b.capacity as number, refillPerSecond: b.refillPerSecond as number };
    rule.status ??= 429;
  }
  if (rule.status === undefined && rule.latencyMs === undefined)
    bad('status', "a rule needs a 'status' (429, 503, 504) or a 'latencyMs'.");
  // Keep only what was given, in one order: what GET /_admin/faults shows.
  return Object.fromEntries(
    RULE_KEYS.filter((k) => rule[k as keyof FaultRule] !== undefined).map((k) => [k, rule[k as keyof FaultRule]]),
  ) as unknown as FaultRule;
}

/** `"GET /a/*\/b"` → the method (or undefined for any) and a regular expression over paths. */
export function compileMatch(match: string): { method: string | undefined; test: (path: string) => boolean } {
  const parts = match.trim().split(/\s+/);
  if (parts.length > 2)
    throw errors.adminBadRequest(
      `Invalid fault match '${match}': expected "METHOD PATTERN", "PATTERN" or "*".`,
      'match',
    );
  const [method, pattern] = parts.length === 2 ? [parts[0].toUpperCase(), parts[1]] : [undefined, parts[0]];
  if (method !== undefined && method !== '*' && !/^[A-Z]+$/.test(method))
    throw errors.adminBadRequest(`Invalid fault match '${match}': '${parts[0]}' is not an HTTP method.`, 'match');
  const anyMethod = method === undefined || method === '*' ? undefined : method;
  if (pattern === '*' || pattern === '**' || pattern === '/**') return { method: anyMethod, test: () => true };
  // A version prefix is allowed and ignored: rules match the path after it.
  const body = pattern.replace(/^\/?(beta|v1\.0)(?=\/|$)/i, '').replace(/\/+$/, '');
  const normalized = body.startsWith('/') ? body : `/${body}`;
  const source = normalized
    .split(/(\*\*|\*)/)
    .map((piece) => (piece === '**' ? '.*' : piece === '*' ? '[^/]*' : piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}/?$`, 'i');
  return { method: anyMethod, test: (path) => regex.test(path) };
}

interface Bucket {
  tokens: number;
  at: number;
}

class CompiledRule {
  readonly method: string | undefined;
  readonly test: (path: string) => boolean;
  readonly buckets = new Map<string, Bucket>();
  matched = 0;
  injected = 0;

  constructor(readonly rule: FaultRule) {
    ({ method: this.method, test: this.test } = compileMatch(rule.match));
  }

  matches(request: FaultRequest): boolean {
    if (this.method !== undefined && this.method !== request.method.toUpperCase()) return false;
    return this.test(request.path) || this.test(request.pattern);
  }
}

/** Who a request is, for per-caller buckets and `x-ms-throttle-scope`: the token's tenant and app, unverified. */
function caller(authorization: string | undefined): { tenantId: string; appId: string } {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token) {
    try {
      const claims = decodeJwt(token);
      return { tenantId: String(claims.tid ?? 'unknown'), appId: String(claims.appid ?? claims.azp ?? 'unknown') };
    } catch {
      // not a JWT: throttled as an anonymous caller
    }
  }
  return { tenantId: 'unknown', appId: 'unknown' };
}

export interface FaultDecision {
  /** Milliseconds to wait before answering (the sum of the matching rules' latency). */
  latencyMs: number;
  /** The fault to answer with, if one fired. */
  error?: GraphError;
}

export class FaultInjector {
  private compiled: CompiledRule[] = [];
  private random: () => number = Math.random;

  constructor(
    rules: FaultRule[] = [],
    /** Monotonic milliseconds, for the buckets (real time, whatever the server's clock says). */
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    this.set(rules);
  }

  /** Whether any rule is set: without rules requests pass untouched, at no cost. */
  get active(): boolean {
    return this.compiled.length > 0;
  }

  /** Replaces the rules (counters and buckets start afresh). */
  set(rules: FaultRule[]): void {
    this.compiled = rules.map((rule) => new CompiledRule(rule));
  }

  clear(): void {
    this.compiled = [];
  }

  /** The rules with their counters. */
  stats(): FaultRuleStats[] {
    return this.compiled.map((c) => ({ ...c.rule, matched: c.matched, injected: c.injected }));
  }

  /** A seed makes `rate` draws repeatable; undefined makes them random again. */
  reseed(seed: string | undefined): void {
    this.random = seed === undefined ? Math.random : seededRandom(`faults\u0000${seed}`);
  }

  /** Decides what happens to a request: how long it waits and whether it fails. */
  decide(request: FaultRequest): FaultDecision {
    let latencyMs = 0;
    let error: GraphError | undefined;
    for (const [index, compiled] of this.compiled.entries()) {
      if (!compiled.matches(request)) continue;
      compiled.matched++;
      latencyMs += compiled.rule.latencyMs ?? 0;
      if (error || compiled.rule.status === undefined) continue;
      const fired = this.fires(compiled, request);
      if (fired === undefined) continue;
      if (compiled.rule.times !== undefined && compiled.injected >= compiled.rule.times) continue;
      compiled.injected++;
      error = this.answer(compiled.rule, index, request, fired.retryAfterSeconds);
    }
    return { latencyMs: Math.min(latencyMs, MAX_LATENCY_MS), error };
  }

  /** Whether the rule's fault fires for this request, with the Retry-After a bucket computes. */
  private fires(compiled: CompiledRule, request: FaultRequest): { retryAfterSeconds?: number } | undefined {
    const { rule } = compiled;
    if (rule.bucket) {
      const who = caller(request.authorization);
      const key = `${who.tenantId}/${who.appId}`;
      const now = this.monotonicMs();
      const bucket = compiled.buckets.get(key) ?? { tokens: rule.bucket.capacity, at: now };
      bucket.tokens = Math.min(
        rule.bucket.capacity,
        bucket.tokens + ((now - bucket.at) / 1000) * rule.bucket.refillPerSecond,
      );
      bucket.at = now;
      compiled.buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      const wait = rule.bucket.refillPerSecond > 0 ? (1 - bucket.tokens) / rule.bucket.refillPerSecond : 60;
      return { retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
    }
    const rate = rule.rate ?? 1;
    return rate >= 1 || this.random() < rate ? {} : undefined;
  }

  private answer(
    rule: FaultRule,
    index: number,
    request: FaultRequest,
    computedRetryAfter: number | undefined,
  ): GraphError {
    const marker = { 'x-localgraph-fault': String(index) };
    const retryAfter = rule.retryAfterSeconds ?? computedRetryAfter;
    if (rule.status === 429) {
      const who = caller(request.authorization);
      const write = request.method.toUpperCase() !== 'GET';
      return errors.throttled(retryAfter ?? 1, {
        ...marker,
        'x-ms-throttle-scope': `Tenant_Application/${write ? 'Write' : 'ReadWrite'}/${who.appId}/${who.tenantId}`,
        'x-ms-throttle-information': write ? 'WriteLimitExceeded' : 'ResourceUnitLimitExceeded',
        'x-ms-resource-unit': '1',
      });
    }
    if (rule.status === 503) return errors.faultUnavailable({ ...marker, 'Retry-After': String(retryAfter ?? 1) });
    return errors.faultGatewayTimeout({
      ...marker,
      ...(retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {}),
    });
  }
}
