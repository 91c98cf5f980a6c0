import type { GraphHttp } from './graph-http.js';

/**
 * One client of the mixed load: a loop of application-proxy operations in a realistic mix, a
 * little over half of them reads, one request at a time, like one automation job against Graph.
 *
 * Each client writes only the connectors and groups it created and moves its connectors only into
 * its own groups or the tenant's default group, so it knows exactly what the server must answer:
 * every status is an expectation, and reads are checked against what the client wrote (a lost
 * PATCH, a connector in the wrong group, a page that skips or repeats a row are failures, not
 * just a 200). Several clients share a tenant, so reads of the whole tenant and the default group
 * see everyone's concurrent writes.
 */

export const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
/** A batch item's URL is relative to /beta. */
const BATCH_AP = AP.slice('/beta'.length);

/** The tenant a client works in, and what the clients know of it. */
export interface TenantRun {
  token: string;
  defaultGroupId: string;
}

export interface OwnConnector {
  id: string;
  machineName: string;
  externalIp: string;
  status: 'active' | 'inactive';
  /** the group the client last moved it to (the default group when new) */
  group: string;
}

/** What a create sends. */
type ConnectorFields = Pick<OwnConnector, 'machineName' | 'externalIp' | 'status'>;

/** Below this many connectors a client creates one; reads and batches need a few. */
const MIN_CONNECTORS = 4;
/**
 * The number of connectors a client holds: made before the clock starts, then kept about there
 * (creates and deletes balance around it), and at most GROUP_CAP groups. The data stays the same
 * size through the run, so the run is a steady state from its start and memory that grows with
 * it is a leak, not more rows.
 */
const TARGET_CONNECTORS = 20;
const GROUP_CAP = 3;
/** Rows per page of the paged list (small, so a walk of a client's own connectors takes several pages). */
const PAGE_SIZE = 10;
const REGIONS = ['nam', 'eur', 'asia'] as const;

type Op =
  | 'get'
  | 'memberOf'
  | 'listOwn'
  | 'listStatus'
  | 'listGroups'
  | 'members'
  | 'churn'
  | 'patch'
  | 'move'
  | 'createGroup'
  | 'deleteGroup'
  | 'batch';

/** Relative weights: per 100 operations. */
const MIX: Array<[Op, number]> = [
  ['get', 18],
  ['memberOf', 10],
  ['listOwn', 10],
  ['listStatus', 6],
  ['listGroups', 4],
  ['members', 5],
  ['churn', 14],
  ['patch', 10],
  ['move', 9],
  ['createGroup', 3],
  ['deleteGroup', 3],
  ['batch', 8],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [, w]) => sum + w, 0);

/** Operation names, as reported. */
export const OPS = {
  get: 'GET connector',
  memberOf: 'GET connector/memberOf',
  listOwn: `GET connectors $filter=startswith $orderby (pages of ${PAGE_SIZE})`,
  listStatus: 'GET connectors $filter=status $orderby desc $top=50',
  listGroups: 'GET connectorGroups',
  members: 'GET connectorGroup/members',
  nextLink: 'GET @odata.nextLink page',
  create: 'POST connector',
  patch: 'PATCH connector',
  moveMembers: 'POST connectorGroup/members/$ref (move)',
  moveMemberOf: 'POST connector/memberOf/$ref (move)',
  delete: 'DELETE connector',
  createGroup: 'POST connectorGroup',
  deleteGroup: 'DELETE connectorGroup (empty)',
  deleteGroupInUse: 'DELETE connectorGroup (in use: 400)',
  batch: 'POST $batch (4 requests)',
} as const;

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** `count` distinct items, in random order. */
function pickDistinct<T>(items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

export class MixedLoadClient {
  readonly connectors: OwnConnector[] = [];
  readonly groups: string[] = [];
  /** Machine names start with it: the client's own rows are one `startswith` away. */
  private readonly prefix: string;
  private seq = 0;

  constructor(
    index: number,
    private readonly tenant: TenantRun,
    private readonly http: GraphHttp,
  ) {
    // Fixed width, and only digits vary after it: every collation sorts these names alike.
    this.prefix = `lm${String(index).padStart(3, '0')}-`;
  }

  /** Runs operations while `goOn()` says so; the one under way finishes. */
  async run(goOn: () => boolean): Promise<void> {
    while (goOn()) await this.step();
  }

  private async step(): Promise<void> {
    if (this.connectors.length < MIN_CONNECTORS) return this.create();
    let r = Math.random() * TOTAL_WEIGHT;
    const op = MIX.find(([, w]) => (r -= w) < 0)![0];
    switch (op) {
      case 'get':
        return this.get();
      case 'memberOf':
        return this.memberOf();
      case 'listOwn':
        return this.listOwn();
      case 'listStatus':
        return this.listStatus();
      case 'listGroups':
        return this.listGroups();
      case 'members':
        return this.groups.length > 0 ? this.members() : this.createGroup();
      case 'churn':
        return this.grow() ? this.create() : this.delete();
      case 'patch':
        return this.patch();
      case 'move':
        return this.groups.length > 0 ? this.move() : this.createGroup();
      case 'createGroup':
        return this.groups.length < GROUP_CAP ? this.createGroup() : this.deleteGroup();
      case 'deleteGroup':
        return this.groups.length > 0 ? this.deleteGroup() : this.createGroup();
      case 'batch':
        return this.batch();
    }
  }

  /**
   * Makes the client's steady-state data before the clock starts: its connectors and a group.
   * Stops at the first failure (the caller reads the stats).
   */
  async prepare(): Promise<void> {
    while (this.connectors.length < TARGET_CONNECTORS) {
      const before = this.connectors.length;
      await this.create();
      if (this.connectors.length === before) return;
    }
    await this.createGroup();
  }

  /** Create rather than delete? Even odds at the target, more likely below it, less above. */
  private grow(): boolean {
    return Math.random() * 2 * TARGET_CONNECTORS >= this.connectors.length;
  }

  private check(op: string, ok: boolean, detail: () => string): boolean {
    if (!ok) this.http.stats.fail(op, detail());
    return ok;
  }

  private newFields(): ConnectorFields {
    this.seq++;
    return {
      machineName: `${this.prefix}${String(this.seq).padStart(7, '0')}.contoso.com`,
      externalIp: this.nextIp(),
      status: Math.random() < 0.5 ? 'active' : 'inactive',
    };
  }

  /** A documentation address (TEST-NET-3) that differs from the last one, so a lost PATCH shows. */
  private nextIp(): string {
    this.seq++;
    return `203.0.113.${(this.seq % 254) + 1}`;
  }

  /** Checks a connector as Graph returned it against the client's record. */
  private sameConnector(op: string, body: any, own: OwnConnector): boolean {
    return this.check(
      op,
      body?.id === own.id &&
        body.machineName === own.machineName &&
        body.externalIp === own.externalIp &&
        body.status === own.status,
      () => `connector ${own.id} read as ${JSON.stringify(body)?.slice(0, 300)}, written as ${JSON.stringify(own)}`,
    );
  }

  private async get(): Promise<void> {
    const own = pick(this.connectors);
    const answer = await this.http.expect(OPS.get, 200, this.tenant.token, 'GET', `${AP}/connectors/${own.id}`);
    if (answer) this.sameConnector(OPS.get, answer.body, own);
  }

  private checkMemberOf(op: string, body: any, own: OwnConnector): void {
    const ids = Array.isArray(body?.value) ? body.value.map((g: { id: string }) => g.id) : undefined;
    this.check(
      op,
      ids?.length === 1 && ids[0] === own.group,
      () => `connector ${own.id} is a member of ${JSON.stringify(ids)}, moved to ${own.group}`,
    );
  }

  private async memberOf(): Promise<void> {
    const own = pick(this.connectors);
    const answer = await this.http.expect(
      OPS.memberOf,
      200,
      this.tenant.token,
      'GET',
      `${AP}/connectors/${own.id}/memberOf`,
    );
    if (answer) this.checkMemberOf(OPS.memberOf, answer.body, own);
  }

  /** The client's own connectors by `startswith`, ordered, in small pages: exactly its rows, once each, in order. */
  private async listOwn(): Promise<void> {
    const query = `$filter=${encodeURIComponent(`startswith(machineName,'${this.prefix}')`)}&$orderby=machineName&$select=id,machineName`;
    const rows = await this.http.walk(OPS.listOwn, OPS.nextLink, this.tenant.token, `${AP}/connectors?${query}`, {
      prefer: `odata.maxpagesize=${PAGE_SIZE}`,
    });
    if (!rows) return;
    const expected = [...this.connectors].sort((a, b) => (a.machineName < b.machineName ? -1 : 1)).map((c) => c.id);
    const got = rows.map((r) => r.id as string);
    this.check(
      OPS.listOwn,
      got.join() === expected.join(),
      () =>
        `startswith('${this.prefix}') listed ${got.length} rows ${JSON.stringify(got)}, expected ${expected.length} ${JSON.stringify(expected)}`,
    );
  }

  /** One page over the whole tenant (everyone's rows, changing under it): only what it must hold is checked. */
  private async listStatus(): Promise<void> {
    const status = pick(['active', 'inactive']);
    const query = `$filter=${encodeURIComponent(`status eq '${status}'`)}&$orderby=machineName%20desc&$top=50`;
    const answer = await this.http.expect(OPS.listStatus, 200, this.tenant.token, 'GET', `${AP}/connectors?${query}`);
    if (!answer) return;
    const rows: Array<{ status: string }> = answer.body?.value ?? [];
    this.check(
      OPS.listStatus,
      rows.length <= 50 && rows.every((r) => r.status === status),
      () => `$filter=status eq '${status}'&$top=50 returned ${answer.text.slice(0, 300)}`,
    );
  }

  /** Every group of the tenant: exactly one default, the same one; every group of this client there. */
  private async listGroups(): Promise<void> {
    const rows = await this.http.walk(OPS.listGroups, OPS.nextLink, this.tenant.token, `${AP}/connectorGroups`);
    if (!rows) return;
    const defaults = rows.filter((g) => g.isDefault === true).map((g) => g.id);
    this.check(
      OPS.listGroups,
      defaults.length === 1 && defaults[0] === this.tenant.defaultGroupId,
      () => `default groups ${JSON.stringify(defaults)}, expected [${this.tenant.defaultGroupId}]`,
    );
    const ids = new Set(rows.map((g) => g.id));
    const missing = this.groups.filter((g) => !ids.has(g));
    this.check(OPS.listGroups, missing.length === 0, () => `groups ${missing.join(', ')} are not listed`);
  }

  /** Only this client's connectors are ever in its groups, so it knows a group's members exactly. */
  private async members(): Promise<void> {
    const group = pick(this.groups);
    const rows = await this.http.walk(
      OPS.members,
      OPS.nextLink,
      this.tenant.token,
      `${AP}/connectorGroups/${group}/members?$select=id`,
    );
    if (!rows) return;
    const got = rows.map((r) => r.id as string).sort();
    const expected = this.connectors
      .filter((c) => c.group === group)
      .map((c) => c.id)
      .sort();
    this.check(
      OPS.members,
      got.join() === expected.join(),
      () => `group ${group} has members ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`,
    );
  }

  /** Records a connector the server created (201 with its entity). */
  private created(op: string, body: any, fields: ConnectorFields): void {
    if (
      !this.check(
        op,
        typeof body?.id === 'string' && body.machineName === fields.machineName,
        () => `create answered ${JSON.stringify(body)?.slice(0, 300)}`,
      )
    )
      return;
    this.connectors.push({ id: body.id, ...fields, group: this.tenant.defaultGroupId });
  }

  private async create(): Promise<void> {
    const fields = this.newFields();
    const answer = await this.http.expect(OPS.create, 201, this.tenant.token, 'POST', `${AP}/connectors`, fields);
    if (answer) this.created(OPS.create, answer.body, fields);
  }

  private async patch(): Promise<void> {
    const own = pick(this.connectors);
    const changes: Partial<OwnConnector> = { externalIp: this.nextIp() };
    if (Math.random() < 0.3) changes.status = own.status === 'active' ? 'inactive' : 'active';
    if (await this.http.expect(OPS.patch, 204, this.tenant.token, 'PATCH', `${AP}/connectors/${own.id}`, changes))
      Object.assign(own, changes);
  }

  /** Moves a connector to another of the client's groups or the default one, through either end of the link. */
  private async moveTo(
    own: OwnConnector,
    group: string,
    through: 'members' | 'memberOf' = Math.random() < 0.5 ? 'members' : 'memberOf',
  ): Promise<boolean> {
    const answer =
      through === 'members'
        ? await this.http.expect(
            OPS.moveMembers,
            204,
            this.tenant.token,
            'POST',
            `${AP}/connectorGroups/${group}/members/$ref`,
            {
              '@odata.id': `${this.http.origin}${AP}/connectors/${own.id}`,
            },
          )
        : await this.http.expect(
            OPS.moveMemberOf,
            204,
            this.tenant.token,
            'POST',
            `${AP}/connectors/${own.id}/memberOf/$ref`,
            {
              '@odata.id': `${this.http.origin}${AP}/connectorGroups/${group}`,
            },
          );
    if (answer) own.group = group;
    return answer !== undefined;
  }

  private async move(): Promise<void> {
    const own = pick(this.connectors);
    const targets = [this.tenant.defaultGroupId, ...this.groups].filter((g) => g !== own.group);
    await this.moveTo(own, pick(targets));
  }

  private async delete(): Promise<void> {
    const own = pick(this.connectors);
    if (await this.http.expect(OPS.delete, 204, this.tenant.token, 'DELETE', `${AP}/connectors/${own.id}`))
      this.forget(own);
  }

  private forget(own: OwnConnector): void {
    this.connectors.splice(this.connectors.indexOf(own), 1);
  }

  private async createGroup(): Promise<void> {
    this.seq++;
    const body = { name: `${this.prefix}group-${this.seq}`, region: pick(REGIONS) };
    // The live service answers a group create with 200 (localgraph's default, see docs/api.md, "Status codes").
    const answer = await this.http.expect(
      OPS.createGroup,
      200,
      this.tenant.token,
      'POST',
      `${AP}/connectorGroups`,
      body,
    );
    if (!answer) return;
    if (
      this.check(
        OPS.createGroup,
        typeof answer.body?.id === 'string' && answer.body.name === body.name && answer.body.isDefault === false,
        () => `group create answered ${answer.text.slice(0, 300)}`,
      )
    ) {
      this.groups.push(answer.body.id);
    }
  }

  /**
   * Deletes one of the client's groups the way a careful script would: if it still has
   * connectors, the delete is refused (400, and the group stays), so move them to the default
   * group, then delete it.
   */
  private async deleteGroup(): Promise<void> {
    const group = pick(this.groups);
    const inside = this.connectors.filter((c) => c.group === group);
    if (inside.length > 0) {
      const refused = await this.http.expect(
        OPS.deleteGroupInUse,
        400,
        this.tenant.token,
        'DELETE',
        `${AP}/connectorGroups/${group}`,
      );
      if (!refused) return;
      for (const own of inside) if (!(await this.moveTo(own, this.tenant.defaultGroupId))) return;
    }
    if (await this.http.expect(OPS.deleteGroup, 204, this.tenant.token, 'DELETE', `${AP}/connectorGroups/${group}`))
      this.groups.splice(this.groups.indexOf(group), 1);
  }

  /** A read, a PATCH, a memberOf and a create or a delete in one $batch, each on a connector of its own. */
  private async batch(): Promise<void> {
    const [read, patched, member, removed] = pickDistinct(this.connectors, 4);
    const changes = { externalIp: this.nextIp() };
    const fields = this.newFields();
    const create = this.grow();
    const json = { 'Content-Type': 'application/json' };
    const requests = [
      { id: '1', method: 'GET', url: `${BATCH_AP}/connectors/${read.id}` },
      { id: '2', method: 'PATCH', url: `${BATCH_AP}/connectors/${patched.id}`, headers: json, body: changes },
      { id: '3', method: 'GET', url: `${BATCH_AP}/connectors/${member.id}/memberOf` },
      create
        ? { id: '4', method: 'POST', url: `${BATCH_AP}/connectors`, headers: json, body: fields }
        : { id: '4', method: 'DELETE', url: `${BATCH_AP}/connectors/${removed.id}` },
    ];
    const answer = await this.http.expect(OPS.batch, 200, this.tenant.token, 'POST', '/beta/$batch', { requests });
    if (!answer) return;
    const item = (id: string, status: number): any => {
      const response = (
        answer.body?.responses as Array<{ id: string; status: number; body?: unknown }> | undefined
      )?.find((r) => r.id === id);
      const request = requests.find((r) => r.id === id)!;
      return this.check(
        OPS.batch,
        response?.status === status,
        () =>
          `item ${request.method} ${request.url} answered ${JSON.stringify(response)?.slice(0, 400)}, expected ${status}`,
      )
        ? (response!.body ?? {})
        : undefined;
    };
    const readBody = item('1', 200);
    if (readBody) this.sameConnector(OPS.batch, readBody, read);
    if (item('2', 204)) Object.assign(patched, changes);
    const memberBody = item('3', 200);
    if (memberBody) this.checkMemberOf(OPS.batch, memberBody, member);
    if (create) {
      const createdBody = item('4', 201);
      if (createdBody) this.created(OPS.batch, createdBody, fields);
    } else if (item('4', 204)) this.forget(removed);
  }
}
