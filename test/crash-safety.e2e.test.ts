/**
 * Crash safety, end to end: a sustained write load from 16 concurrent clients (connector
 * creates, connector PATCHes, connector-group creates and renames, membership moves through
 * `POST connectors/{id}/memberOf/$ref`, alone or up to 20 in a `$batch`) against real
 * `localgraph serve` processes, one SIGKILLed mid-load and restarted on the same data, three
 * times over. The batches keep a server busy long enough per request that the kill lands inside
 * one (some of its items committed, the rest not).
 * - SQLite (a data folder): the one server dies; the load stops with it.
 * - PostgreSQL: two instances share the database and the clients are spread over both; one
 *   instance dies (each in turn) and the clients that lose it fail over to the survivor after a
 *   short back-off, as behind a load balancer, so the load goes on through the kill.
 * In memory there is nothing to recover: the test runs in the other two passes.
 *
 * After each restart:
 * - every write acknowledged (2xx) before the kill is there: a created connector exists with the
 *   fields sent, a PATCHed one holds the last acknowledged value or a value attempted after it
 *   (that request may have committed without its answer arriving), a moved connector is in the
 *   group of its last acknowledged move or of a later-attempted one, a created group exists with
 *   its name;
 * - writes refused with an answer (4xx) changed nothing, and no write during the load got a 5xx;
 * - the invariants hold, through Graph (`GET connectors/{id}/memberOf` returns exactly one existing
 *   group; exactly one default group, the same one across restarts) and in the database itself
 *   (read-only: no connector whose group does not exist, one default group per tenant; on SQLite
 *   also `PRAGMA integrity_check` ok and `PRAGMA foreign_key_check` empty).
 *
 * Each client writes only the connectors and groups it created, one request at a time (a batch
 * touches each object once), so the acceptable states of an object are exactly what its
 * acknowledged writes leave, with or without the one request that was in flight when its
 * instance died (after a failover, later writes merge onto either).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { durable, TEST_BACKEND } from './helpers/backend.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { queryStorage } from './helpers/storage-query.js';

const CLIENTS = 16;
const CYCLES = 3;
/** PostgreSQL: two instances; SQLite: a data folder serves one. */
const INSTANCES = TEST_BACKEND === 'postgres' ? 2 : 1;
/** How long a client that lost its instance waits before it tries the other one. */
const FAILOVER_BACKOFF_MS = 250;
/** PostgreSQL: how long the load goes on through the survivor after the kill. */
const LOAD_AFTER_KILL_MS = 1000;
const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';

interface ConnectorFields {
  externalIp: string;
  machineName: string;
  status: 'active' | 'inactive';
}

interface ConnectorModel {
  id: string;
  owner: number;
  /** `yes` once a create was acknowledged or the connector was seen; `maybe` for a create that got no answer. */
  exists: 'yes' | 'maybe';
  /** Acceptable field values: what the acknowledged writes and any unanswered ones could have left. */
  fields: ConnectorFields[];
  /** Acceptable group ids, the same way. */
  groups: string[];
}

interface GroupModel {
  /** Unknown for a create that got no answer (the server makes group ids). */
  id?: string;
  owner: number;
  createName: string;
  exists: 'yes' | 'maybe';
  names: string[];
}

type Outcome =
  | { kind: 'acked'; status: number; body: any }
  | { kind: 'refused'; status: number; text: string }
  | { kind: 'unknown'; error: string };

const servers: (RunningServer | undefined)[] = [];
/** Where each instance listens (kept after it dies: its clients find out by failing). */
const baseUrls: string[] = [];
/** Which instance each client sends to. */
const route: number[] = [];
/** For reads and `@odata.id`s: any live instance. */
let baseUrl = '';
let token = '';
let stopping = false;
let inFlight = 0;

const connectors = new Map<string, ConnectorModel>();
const groups: GroupModel[] = [];
let defaultGroupId = '';
/** Non-2xx answers to writes during the load: none is expected. */
const unexpected: string[] = [];
const stats = {
  acked: 0,
  refused: 0,
  unknown: 0,
  creates: 0,
  patches: 0,
  moves: 0,
  groupCreates: 0,
  groupPatches: 0,
  batches: 0,
};

after(async () => {
  for (const server of servers) if (server) await server.kill();
});

async function send(client: number, method: string, path: string, body?: unknown): Promise<Outcome> {
  inFlight++;
  try {
    const response = await fetch(`${baseUrls[route[client]]}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (response.status >= 200 && response.status < 300)
      return { kind: 'acked', status: response.status, body: text ? JSON.parse(text) : undefined };
    return { kind: 'refused', status: response.status, text };
  } catch (error) {
    const outcome: Outcome = {
      kind: 'unknown',
      error: String((error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message),
    };
    if (INSTANCES > 1 && !stopping) await failOver(client);
    return outcome;
  } finally {
    inFlight--;
  }
}

/**
 * The client's instance is gone: after a back-off (long enough that a statement the dead
 * instance left running in PostgreSQL has ended), the next request goes to the other one.
 */
async function failOver(client: number): Promise<void> {
  await sleep(FAILOVER_BACKOFF_MS);
  route[client] = (route[client] + 1) % INSTANCES;
}

function record(outcome: Outcome, what: string): void {
  stats[outcome.kind]++;
  if (outcome.kind === 'refused') unexpected.push(`${what}: ${outcome.status} ${outcome.text.slice(0, 300)}`);
}

/** Applies a write's outcome to a list of acceptable values: acknowledged replaces, unknown adds. */
function apply<T>(candidates: T[], value: T, outcome: Outcome): T[] {
  if (outcome.kind === 'acked') return [value];
  if (outcome.kind === 'unknown') return [...candidates, value];
  return candidates;
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

let counter = 0;
function fieldsFor(client: number): ConnectorFields {
  counter++;
  return {
    externalIp: `10.${client & 255}.${(counter >> 8) & 255}.${counter & 255}`,
    machineName: `c${client}-${counter}-${randomUUID().slice(0, 6)}.contoso.com`,
    status: counter % 2 ? 'active' : 'inactive',
  };
}

/** Connectors by owning client. */
const owned = new Map<number, ConnectorModel[]>();

function ownedBy(client: number): ConnectorModel[] {
  let list = owned.get(client);
  if (!list) owned.set(client, (list = []));
  return list;
}

function forget(model: ConnectorModel): void {
  connectors.delete(model.id);
  const list = ownedBy(model.owner);
  const i = list.indexOf(model);
  if (i >= 0) list.splice(i, 1);
}

/** One write: the request, and what its outcome means for the model. */
interface Plan {
  what: string;
  method: string;
  /** Under /beta. */
  path: string;
  body: unknown;
  effect(outcome: Outcome): void;
}

function planCreateConnector(client: number): Plan {
  const id = randomUUID();
  const fields = fieldsFor(client);
  // Registered before sending: a create that gets no answer may still have committed.
  const model: ConnectorModel = { id, owner: client, exists: 'maybe', fields: [fields], groups: [defaultGroupId] };
  connectors.set(id, model);
  ownedBy(client).push(model);
  stats.creates++;
  return {
    what: `create connector ${id}`,
    method: 'POST',
    path: `${AP}/connectors`,
    body: { id, ...fields },
    effect(outcome) {
      if (outcome.kind === 'acked') {
        model.exists = 'yes';
        if (outcome.body?.id !== id || outcome.body?.machineName !== fields.machineName)
          unexpected.push(`create ${id} answered ${JSON.stringify(outcome.body)}`);
      } else if (outcome.kind === 'refused') forget(model);
    },
  };
}

function planPatchConnector(model: ConnectorModel, client: number): Plan {
  const next = fieldsFor(client);
  // A PATCH of two of the three fields, merged onto the stored state.
  const changes: Partial<ConnectorFields> = {};
  const which = Math.floor(Math.random() * 3);
  if (which !== 1) changes.machineName = next.machineName;
  if (which !== 2) changes.status = next.status;
  if (which !== 0) changes.externalIp = next.externalIp;
  stats.patches++;
  return {
    what: `patch connector ${model.id}`,
    method: 'PATCH',
    path: `${AP}/connectors/${model.id}`,
    body: changes,
    effect(outcome) {
      // Every acceptable state could be the base the PATCH merged onto (after a failover, a
      // PATCH sent to the dead instance may or may not have committed before this one).
      const merged = model.fields.map((f) => ({ ...f, ...changes }));
      if (outcome.kind === 'acked') model.fields = merged;
      else if (outcome.kind === 'unknown') model.fields = [...model.fields, ...merged];
    },
  };
}

function planMoveConnector(model: ConnectorModel): Plan {
  const known = groups.filter((g) => g.exists === 'yes' && g.id).map((g) => g.id!);
  const target = pick([defaultGroupId, ...known]);
  stats.moves++;
  return {
    what: `move connector ${model.id} to ${target}`,
    method: 'POST',
    path: `${AP}/connectors/${model.id}/memberOf/$ref`,
    body: { '@odata.id': `${baseUrl}${AP}/connectorGroups/${target}` },
    effect(outcome) {
      model.groups = apply(model.groups, target, outcome);
    },
  };
}

function planCreateGroup(client: number): Plan {
  const name = `g${client}-${++counter}-${randomUUID().slice(0, 6)}`;
  const model: GroupModel = { owner: client, createName: name, exists: 'maybe', names: [name] };
  groups.push(model);
  stats.groupCreates++;
  return {
    what: `create group ${name}`,
    method: 'POST',
    path: `${AP}/connectorGroups`,
    body: { name },
    effect(outcome) {
      if (outcome.kind === 'acked') {
        model.id = outcome.body.id;
        model.exists = 'yes';
      } else if (outcome.kind === 'refused') groups.splice(groups.indexOf(model), 1);
    },
  };
}

function planRenameGroup(model: GroupModel): Plan {
  const name = `${model.createName}-r${++counter}`;
  stats.groupPatches++;
  return {
    what: `rename group ${model.id}`,
    method: 'PATCH',
    path: `${AP}/connectorGroups/${model.id}`,
    body: { name },
    effect(outcome) {
      model.names = apply(model.names, name, outcome);
    },
  };
}

async function run(client: number, plan: Plan): Promise<void> {
  const outcome = await send(client, plan.method, plan.path, plan.body);
  record(outcome, plan.what);
  plan.effect(outcome);
}

/**
 * Several writes in one `$batch` (each on an object of its own, so their order does not
 * matter): the server is busy longer per request, so a kill lands inside a batch, some of whose
 * items have committed and some not.
 */
async function runBatch(client: number, plans: Plan[]): Promise<void> {
  stats.batches++;
  const requests = plans.map((plan, i) => ({
    id: String(i),
    method: plan.method,
    url: plan.path.replace(/^\/beta/, ''),
    headers: { 'Content-Type': 'application/json' },
    body: plan.body,
  }));
  const outcome = await send(client, 'POST', '/beta/$batch', { requests });
  if (outcome.kind !== 'acked') {
    record(outcome, `$batch of ${plans.length}`);
    // A refused batch ran none of its items.
    for (const plan of plans) plan.effect(outcome);
    return;
  }
  const byId = new Map<string, { status: number; body?: any }>(
    (outcome.body?.responses ?? []).map((r: { id: string; status: number; body?: unknown }) => [r.id, r]),
  );
  plans.forEach((plan, i) => {
    const item = byId.get(String(i));
    const itemOutcome: Outcome = !item
      ? { kind: 'unknown', error: 'no item response' }
      : item.status >= 200 && item.status < 300
        ? { kind: 'acked', status: item.status, body: item.body }
        : { kind: 'refused', status: item.status, text: JSON.stringify(item.body) };
    record(itemOutcome, `${plan.what} (in $batch)`);
    plan.effect(itemOutcome);
  });
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** One client: one request at a time, writing only its own objects, until the server is being killed. */
async function client(index: number): Promise<void> {
  while (!stopping) {
    const own = ownedBy(index).filter((c) => c.exists === 'yes');
    const ownGroups = groups.filter((g) => g.owner === index && g.exists === 'yes' && g.id);
    const r = Math.random();
    if (own.length < 3 || r < 0.2) await run(index, planCreateConnector(index));
    else if (r < 0.42) await run(index, planPatchConnector(pick(own), index));
    else if (r < 0.64) await run(index, planMoveConnector(pick(own)));
    else if (r < 0.7 || ownGroups.length === 0) await run(index, planCreateGroup(index));
    else if (r < 0.75) await run(index, planRenameGroup(pick(ownGroups)));
    else {
      // Up to 20 writes: new connectors, and a PATCH or a move of distinct own connectors.
      const plans: Plan[] = [];
      const creates = 1 + Math.floor(Math.random() * 5);
      for (let i = 0; i < creates; i++) plans.push(planCreateConnector(index));
      for (const model of shuffled(own).slice(0, 20 - creates))
        plans.push(Math.random() < 0.5 ? planPatchConnector(model, index) : planMoveConnector(model));
      await runBatch(index, plans);
    }
  }
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function allGroups(): Promise<any[]> {
  const out: any[] = [];
  let next: string | undefined = `${baseUrl}${AP}/connectorGroups`;
  while (next) {
    const path: string = next.slice(baseUrl.length);
    const page = await get(path);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    out.push(...page.body.value);
    next = page.body['@odata.nextLink'];
  }
  return out;
}

async function allConnectorIds(): Promise<string[]> {
  const out: string[] = [];
  let next: string | undefined = `${baseUrl}${AP}/connectors?$select=id`;
  while (next) {
    const page = await get(next.slice(baseUrl.length));
    assert.equal(page.status, 200, JSON.stringify(page.body));
    out.push(...page.body.value.map((c: { id: string }) => c.id));
    next = page.body['@odata.nextLink'];
  }
  return out;
}

function sameFields(a: ConnectorFields, b: ConnectorFields): boolean {
  return a.externalIp === b.externalIp && a.machineName === b.machineName && a.status === b.status;
}

/** Checks the data (through `server`, just restarted or the survivor) against the model, then collapses the model onto what it saw. */
async function verify(cycle: number, server: RunningServer): Promise<void> {
  baseUrl = server.baseUrl;
  const problems: string[] = [];

  // Groups: exactly one default, the same one; acknowledged creates present with an acceptable name.
  const listed = await allGroups();
  const defaults = listed.filter((g) => g.isDefault === true);
  if (defaults.length !== 1) problems.push(`${defaults.length} default connector groups: ${JSON.stringify(defaults)}`);
  else if (defaults[0].id !== defaultGroupId)
    problems.push(`the default group changed from ${defaultGroupId} to ${defaults[0].id}`);
  const byId = new Map(listed.map((g) => [g.id as string, g]));
  for (const model of [...groups]) {
    if (model.id === undefined) {
      const found = listed.filter((g) => String(g.name).startsWith(model.createName));
      if (found.length > 1) problems.push(`group create '${model.createName}' (no answer) made ${found.length} groups`);
      if (found.length === 1) {
        model.id = found[0].id;
        model.exists = 'yes';
        model.names = [found[0].name];
        if (found[0].name !== model.createName)
          problems.push(`group '${model.createName}' (create not answered) is named '${found[0].name}'`);
      } else groups.splice(groups.indexOf(model), 1);
      continue;
    }
    const seen = byId.get(model.id);
    if (!seen) {
      problems.push(`acknowledged group ${model.id} ('${model.names[0]}') is gone`);
      continue;
    }
    if (!model.names.includes(seen.name))
      problems.push(`group ${model.id} is named '${seen.name}', expected one of ${JSON.stringify(model.names)}`);
    model.names = [seen.name];
  }

  // Connectors: acknowledged creates present with acceptable fields, each in exactly one existing group.
  const models = [...connectors.values()];
  await pool(models, 16, async (model) => {
    const res = await get(`${AP}/connectors/${model.id}`);
    if (res.status === 404) {
      if (model.exists === 'yes')
        problems.push(`acknowledged connector ${model.id} is gone (fields ${JSON.stringify(model.fields[0])})`);
      forget(model);
      return;
    }
    if (res.status !== 200) {
      problems.push(`GET connector ${model.id}: ${res.status} ${JSON.stringify(res.body)}`);
      return;
    }
    const seen: ConnectorFields = {
      externalIp: res.body.externalIp,
      machineName: res.body.machineName,
      status: res.body.status,
    };
    if (!model.fields.some((f) => sameFields(f, seen))) {
      problems.push(
        `connector ${model.id} holds ${JSON.stringify(seen)}, expected one of ${JSON.stringify(model.fields)}`,
      );
    }
    model.exists = 'yes';
    model.fields = [seen];
    const memberOf = await get(`${AP}/connectors/${model.id}/memberOf`);
    if (memberOf.status !== 200 || !Array.isArray(memberOf.body?.value) || memberOf.body.value.length !== 1) {
      problems.push(
        `connector ${model.id} memberOf: ${memberOf.status} ${JSON.stringify(memberOf.body).slice(0, 300)}`,
      );
      return;
    }
    const group = memberOf.body.value[0].id as string;
    if (!byId.has(group))
      problems.push(`connector ${model.id} is in group ${group}, which the group list does not have`);
    if (!model.groups.includes(group))
      problems.push(`connector ${model.id} is in group ${group}, expected one of ${JSON.stringify(model.groups)}`);
    model.groups = [group];
  });

  // Nothing the clients did not create: the list holds exactly the model's connectors.
  const ids = await allConnectorIds();
  const extra = ids.filter((id) => !connectors.has(id));
  if (extra.length > 0) problems.push(`${extra.length} connectors nobody created: ${extra.slice(0, 5).join(', ')}`);
  if (ids.length !== connectors.size)
    problems.push(`the list has ${ids.length} connectors, the model ${connectors.size}`);

  // The database itself, read-only, while the restarted server has it open.
  const tenantId = server.tenantId;
  const orphans = await queryStorage(
    server,
    'SELECT c.tenant_id, c.id, c.connector_group_id FROM connectors c WHERE NOT EXISTS (SELECT 1 FROM connector_groups g WHERE g.tenant_id = c.tenant_id AND g.id = c.connector_group_id)',
  );
  if (orphans.length > 0) problems.push(`SQL: connectors in no existing group: ${JSON.stringify(orphans.slice(0, 5))}`);
  const [nullGroups] = await queryStorage(
    server,
    'SELECT COUNT(*) AS n FROM connectors WHERE connector_group_id IS NULL',
  );
  if (Number(nullGroups.n) !== 0) problems.push(`SQL: ${nullGroups.n} connectors without a group`);
  const perTenant = await queryStorage(
    server,
    'SELECT tenant_id, SUM(CASE WHEN is_default THEN 1 ELSE 0 END) AS defaults FROM connector_groups GROUP BY tenant_id',
  );
  for (const row of perTenant)
    if (Number(row.defaults) !== 1) problems.push(`SQL: tenant ${row.tenant_id} has ${row.defaults} default groups`);
  const [ours] = await queryStorage(
    server,
    'SELECT COUNT(*) AS n FROM connector_groups WHERE tenant_id = ? AND is_default',
    [tenantId],
  );
  if (Number(ours.n) !== 1)
    problems.push(`SQL: SELECT COUNT(*) FROM connector_groups WHERE is_default (our tenant) = ${ours.n}`);
  const [sqlCount] = await queryStorage(server, 'SELECT COUNT(*) AS n FROM connectors WHERE tenant_id = ?', [tenantId]);
  if (Number(sqlCount.n) !== ids.length) problems.push(`SQL has ${sqlCount.n} connectors, Graph lists ${ids.length}`);
  if (server.dataDir !== undefined) {
    const db = new Database(join(server.dataDir, 'localgraph.db'), { readonly: true, fileMustExist: true });
    try {
      const integrity = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
      if (integrity.length !== 1 || integrity[0].integrity_check !== 'ok')
        problems.push(`SQL: integrity_check ${JSON.stringify(integrity)}`);
      const fk = db.pragma('foreign_key_check') as unknown[];
      if (fk.length > 0) problems.push(`SQL: foreign_key_check ${JSON.stringify(fk.slice(0, 5))}`);
    } finally {
      db.close();
    }
  }

  console.log(
    `crash-safety: cycle ${cycle}: verified ${connectors.size} connectors, ${groups.length + 1} groups; ${problems.length} problems`,
  );
  assert.deepEqual(problems, [], `after kill ${cycle}:\n${problems.slice(0, 30).join('\n')}`);
}

describe(
  'crash safety: SIGKILL under a sustained write load, restart on the same data',
  durable('an in-memory server keeps nothing to recover'),
  () => {
    it(`keeps every acknowledged write and the membership invariants across ${CYCLES} kills (${INSTANCES} instance${INSTANCES > 1 ? 's' : ''})`, {
      timeout: 180_000,
    }, async () => {
      servers.push(await startServer());
      for (let i = 1; i < INSTANCES; i++) servers.push(await startServer(servers[0]!.sameStorage()));
      baseUrls.push(...servers.map((s) => s!.baseUrl));
      baseUrl = baseUrls[0];
      for (let i = 0; i < CLIENTS; i++) route.push(i % INSTANCES);
      token = await servers[0]!.token(['--scopes', 'Directory.ReadWrite.All']);
      const initial = await get(`${AP}/connectorGroups`);
      assert.equal(initial.status, 200);
      defaultGroupId = initial.body.value.find((g: { isDefault: boolean }) => g.isDefault).id;
      for (let i = 0; i < 3; i++) await run(0, planCreateGroup(-1));
      assert.ok(groups.every((g) => g.exists === 'yes'));

      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        const victim = cycle % INSTANCES;
        const storage = servers[victim]!.sameStorage();
        stopping = false;
        const before = { ...stats };
        const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
        const loadMs = 2000 + Math.floor(Math.random() * 1000);
        await sleep(loadMs);
        const inFlightAtKill = inFlight;
        // With one instance the load dies with it; with two it goes on through the survivor.
        if (INSTANCES === 1) stopping = true;
        await servers[victim]!.kill();
        const exit: { code: number | null; signal: NodeJS.Signals | null } = await servers[victim]!.exited;
        assert.equal(exit.signal, 'SIGKILL', `the server was to die of SIGKILL, it exited ${JSON.stringify(exit)}`);
        servers[victim] = undefined;
        if (INSTANCES > 1) {
          const ackedAtKill = stats.acked;
          await sleep(LOAD_AFTER_KILL_MS);
          stopping = true;
          assert.ok(
            stats.acked - ackedAtKill > 20,
            'the survivor was to go on acknowledging writes while the other instance was down',
          );
        }
        await Promise.all(clients);
        console.log(
          `crash-safety: cycle ${cycle}: killed instance ${victim + 1} of ${INSTANCES} after ${loadMs} ms with ${inFlightAtKill} requests in flight; ` +
            `${stats.acked - before.acked} acknowledged, ${stats.unknown - before.unknown} unanswered, ${stats.refused - before.refused} refused ` +
            `(${stats.creates - before.creates} creates, ${stats.patches - before.patches} patches, ${stats.moves - before.moves} moves, ` +
            `${stats.groupCreates - before.groupCreates} group creates, ${stats.groupPatches - before.groupPatches} group renames; ${stats.batches - before.batches} $batch requests)`,
        );
        assert.ok(inFlightAtKill > 0, 'the kill was to land mid-load, with requests in flight');
        assert.ok(stats.acked - before.acked > 50, 'the load acknowledged too few writes to mean anything');
        assert.deepEqual(unexpected, [], `writes refused during the load:\n${unexpected.slice(0, 20).join('\n')}`);

        // With two instances, the survivor already serves everything the dead one acknowledged.
        if (INSTANCES > 1) await verify(cycle, servers[(victim + 1) % INSTANCES]!);
        const restarted = await startServer(storage);
        servers[victim] = restarted;
        baseUrls[victim] = restarted.baseUrl;
        for (let i = 0; i < CLIENTS; i++) route[i] = i % INSTANCES;
        await verify(cycle, restarted);
      }
      for (const [i, server] of servers.entries()) {
        assert.equal(await server!.stop(), 0);
        servers[i] = undefined;
      }
    });
  },
);
