import { readFileSync } from 'node:fs';
import { parseDuration } from '../admin/durations.js';
import { isGuid } from '../odata/guid.js';
import { adminCall, adminTarget, parseCommand, targetHelp } from './admin-client.js';
import { UsageError } from './usage.js';

/**
 * `localgraph admin <command>`: the admin API of a running server, from the command line. Each
 * command takes `--url` and `--admin-key`; results are printed as JSON on stdout.
 */
type Command = (args: string[]) => Promise<number>;

const help = {
  reset: `Usage: localgraph admin reset [--tenant GUID] [--registrations] [--url URL] [--admin-key K]

Removes the Graph data (connectors, groups, applications, agents, sensors, ...) of one tenant or
of every tenant. Tenants keep working: their default connector group and profiles come back on
their next request. Sign-in registrations (apps, users) are kept unless --registrations.

  --tenant GUID      only this tenant
  --registrations    also remove the registered apps and users
${targetHelp}`,
  import: `Usage: localgraph admin import FILE [--url URL] [--admin-key K]

Loads a fixture (JSON, as admin export prints): each tenant it names is replaced by the
fixture's content, in one transaction per tenant. An invalid fixture changes nothing and is
reported with the place of the problem.

${targetHelp}`,
  export: `Usage: localgraph admin export [--tenant GUID] [--url URL] [--admin-key K]

Prints the current state as a fixture (JSON), sorted so that the same state prints the same
bytes: export > world.json, later admin import world.json.

  --tenant GUID      only this tenant
${targetHelp}`,
  ids: `Usage: localgraph admin ids [--seed S | --random] [--url URL] [--admin-key K]

Makes the ids the server gives new objects deterministic (the n-th id after --seed S is always
the same GUID), or random again. Without an option, prints the current seed.

  --seed S           derive ids (and fault draws) from S, from the start of its sequence
  --random           random ids again
${targetHelp}`,
  clock: `Usage: localgraph admin clock [--freeze ISO | --advance 30s | --system] [--url URL] [--admin-key K]

Controls the server's clock (createdDateTime, error dates, heartbeat timeouts; token lifetimes
stay on real time). Without an option, prints it.

  --freeze ISO       stop the clock at this time (2030-01-01T00:00:00Z)
  --advance D        move it forward by D (30s, 5m, 1h; --advance=-30s moves it back)
  --system           back to real time
${targetHelp}`,
  faults: `Usage: localgraph admin faults [FILE | --clear] [--url URL] [--admin-key K]

Sets the fault rules of the Graph surface from FILE (JSON, see docs/admin.md#faults), or clears
them. Without an argument, prints the rules with how often each matched and fired.

  --clear            no more faults
${targetHelp}`,
  token: `Usage: localgraph admin token [--tenant GUID] [--scopes "A B" | --roles "A B"] [--user UPN] [--lifetime SECONDS]
                             [--url URL] [--admin-key K]

Prints a Graph access token the running server accepts, signed by its key: a delegated token
with --scopes (default: every delegated permission), an app-only one with --roles.

  --tenant GUID      tenant (default: the server's default tenant)
  --scopes "A B"     delegated permissions
  --roles "A B"      application permissions
  --user UPN         the signed-in user (default: admin@localgraph.onmicrosoft.com)
  --lifetime SECONDS lifetime (default: 3600)
${targetHelp}`,
  status: `Usage: localgraph admin status [--url URL] [--admin-key K]

Prints what the server's control plane is doing: default tenant, clock, id seed, fault rules
and the heartbeat simulation.

${targetHelp}`,
};

export const adminHelp = `Usage: localgraph admin <reset|import|export|ids|clock|faults|token|status> [options]

Drives the admin API (/_admin/) of a running server. Every command takes --url (default
http://127.0.0.1:5080) and --admin-key (default $LOCALGRAPH_ADMIN_KEY; the serve banner prints
the key). localgraph admin <command> --help says more.

  reset     remove Graph data: one tenant or all
  import    load a fixture (JSON)
  export    print the current state as a fixture
  ids       deterministic ids from a seed, or random ones
  clock     freeze, advance or release the server's clock
  faults    set or clear fault rules
  token     print a Graph token the server accepts
  status    print the control plane's state`;

function showHelp(text: string): number {
  console.log(text);
  return 0;
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
}

function tenant(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isGuid(value))
    throw new UsageError(`--tenant must be a GUID, not '${String(value)}'`);
  return value;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
}

const reset: Command = async (args) => {
  const { values, positionals } = parseCommand(args, {
    tenant: { type: 'string' },
    registrations: { type: 'boolean' },
  });
  if (values.help) return showHelp(help.reset);
  noPositionals(positionals);
  const tenantId = tenant(values.tenant);
  const target = adminTarget(values);
  print(
    await adminCall(target, 'POST', '/reset', {
      ...(tenantId ? { tenantId } : {}),
      ...(values.registrations ? { registrations: true } : {}),
    }),
  );
  return 0;
};

const importCommand: Command = async (args) => {
  const { values, positionals } = parseCommand(args, {});
  if (values.help) return showHelp(help.import);
  if (positionals.length !== 1) throw new UsageError('admin import takes one FILE (a fixture, as admin export prints)');
  const target = adminTarget(values);
  print(await adminCall(target, 'POST', '/import', readJson(positionals[0])));
  return 0;
};

const exportCommand: Command = async (args) => {
  const { values, positionals } = parseCommand(args, { tenant: { type: 'string' } });
  if (values.help) return showHelp(help.export);
  noPositionals(positionals);
  const tenantId = tenant(values.tenant);
  const target = adminTarget(values);
  print(await adminCall(target, 'GET', `/export${tenantId ? `?tenant=${tenantId}` : ''}`));
  return 0;
};

const ids: Command = async (args) => {
  const { values, positionals } = parseCommand(args, { seed: { type: 'string' }, random: { type: 'boolean' } });
  if (values.help) return showHelp(help.ids);
  noPositionals(positionals);
  if (values.seed !== undefined && values.random) throw new UsageError('--seed and --random exclude each other');
  if (values.seed === '') throw new UsageError('--seed must not be empty');
  const target = adminTarget(values);
  if (values.seed === undefined && !values.random) print(await adminCall(target, 'GET', '/ids'));
  else print(await adminCall(target, 'PUT', '/ids', { seed: values.random ? null : values.seed }));
  return 0;
};

const clock: Command = async (args) => {
  const { values, positionals } = parseCommand(args, {
    freeze: { type: 'string' },
    advance: { type: 'string' },
    system: { type: 'boolean' },
  });
  if (values.help) return showHelp(help.clock);
  noPositionals(positionals);
  const given = [values.freeze !== undefined, values.advance !== undefined, values.system === true].filter(
    Boolean,
  ).length;
  if (given > 1) throw new UsageError('give one of --freeze, --advance and --system');
  let body: Record<string, unknown> | undefined;
  if (values.freeze !== undefined) {
    if (Number.isNaN(new Date(values.freeze as string).getTime()))
      throw new UsageError(`--freeze must be an ISO 8601 date and time, not '${String(values.freeze)}'`);
    body = { freeze: values.freeze };
  } else if (values.advance !== undefined) {
    const text = String(values.advance);
    const negative = text.startsWith('-');
    const ms = parseDuration(negative ? text.slice(1) : text);
    if (ms === undefined) throw new UsageError(`--advance must be a duration such as 30s, 5m or 1h, not '${text}'`);
    body = { advanceSeconds: (negative ? -ms : ms) / 1000 };
  } else if (values.system) {
    body = { system: true };
  }
  const target = adminTarget(values);
  print(body ? await adminCall(target, 'PUT', '/clock', body) : await adminCall(target, 'GET', '/clock'));
  return 0;
};

const faults: Command = async (args) => {
  const { values, positionals } = parseCommand(args, { clear: { type: 'boolean' } });
  if (values.help) return showHelp(help.faults);
  if (positionals.length > 1) throw new UsageError('admin faults takes at most one FILE');
  if (values.clear && positionals.length > 0) throw new UsageError('give FILE or --clear, not both');
  const rules = positionals.length === 1 ? readJson(positionals[0]) : undefined;
  const target = adminTarget(values);
  if (values.clear) print(await adminCall(target, 'DELETE', '/faults'));
  else if (rules !== undefined) print(await adminCall(target, 'PUT', '/faults', rules));
  else print(await adminCall(target, 'GET', '/faults'));
  return 0;
};

const token: Command = async (args) => {
  const { values, positionals } = parseCommand(args, {
    tenant: { type: 'string' },
    scopes: { type: 'string' },
    roles: { type: 'string' },
    user: { type: 'string' },
    lifetime: { type: 'string' },
  });
  if (values.help) return showHelp(help.token);
  noPositionals(positionals);
  if (values.scopes !== undefined && values.roles !== undefined)
    throw new UsageError('give --scopes (delegated) or --roles (app-only), not both');
  if (values.roles !== undefined && values.user !== undefined)
    throw new UsageError('--user goes with --scopes: app-only tokens have no user');
  if (values.lifetime !== undefined && !/^[1-9]\d*$/.test(String(values.lifetime)))
    throw new UsageError('--lifetime must be a positive number of seconds');
  const tenantId = tenant(values.tenant);
  const target = adminTarget(values);
  const answer = (await adminCall(target, 'POST', '/token', {
    ...(tenantId ? { tenantId } : {}),
    ...(values.scopes !== undefined ? { scopes: values.scopes } : {}),
    ...(values.roles !== undefined ? { roles: values.roles } : {}),
    ...(values.user !== undefined ? { user: values.user } : {}),
    ...(values.lifetime !== undefined ? { lifetimeSeconds: Number(values.lifetime) } : {}),
  })) as { access_token: string };
  console.log(answer.access_token);
  return 0;
};

const status: Command = async (args) => {
  const { values, positionals } = parseCommand(args, {});
  if (values.help) return showHelp(help.status);
  noPositionals(positionals);
  print(await adminCall(adminTarget(values), 'GET', '/'));
  return 0;
};

export const adminCommands: Record<string, Command> = {
  reset,
  import: importCommand,
  export: exportCommand,
  ids,
  clock,
  faults,
  token,
  status,
};

/** `localgraph admin <command>`. */
export const adminCommand: Command = async ([sub, ...args]) => {
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(adminHelp);
    return sub === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(adminCommands, sub) ? adminCommands[sub] : undefined;
  if (!run) throw new UsageError(`unknown admin command '${sub}' (one of ${Object.keys(adminCommands).join(', ')})`);
  return run(args);
};
