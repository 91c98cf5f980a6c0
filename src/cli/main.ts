#!/usr/bin/env node
import { adminCommand } from './admin-commands.js';
import { caCommand, caHelp } from './ca.js';
import { adminKeyNewCommand, adminKeyNewHelp } from './admin-key-command.js';
import { certCommand, certHelp } from './cert.js';
import { openapiCommand, openapiHelp } from './openapi.js';
import { readFileSync } from 'node:fs';
import {
  appAddCommand,
  appAddHelp,
  appListCommand,
  appListHelp,
  appResetSecretCommand,
  appResetSecretHelp,
  userAddCommand,
  userAddHelp,
  userSetPasswordCommand,
  userSetPasswordHelp,
} from './registration-commands.js';
import { serveCommand, serveHelp } from './serve.js';
import { simulateCommand, simulateHelp } from './simulate.js';
import { tokenCommand, tokenHelp } from './token.js';
import { UsageError } from './usage.js';

const help = `localgraph: a self-hostable Microsoft Graph (beta) for the on-premises publishing API family

Usage: localgraph <command> [options]

Commands:
  serve      serve the Graph API and its token endpoint (localgraph serve --help)
  token      print an access token (localgraph token --help)
  app        register, list applications and reset their secrets: app add | list | reset-secret
             (localgraph app --help)
  user       create users who sign in with a password, set their passwords: user add | set-password
             (localgraph user --help)
  app add    register an application that gets tokens (localgraph app add --help)
  user add   create a user who signs in with a password (localgraph user add --help)
  ca         print the CA certificate to trust for the proxy and --https (localgraph ca --help)
  cert       print the TLS certificate of --https (localgraph cert --help)
  openapi    print the OpenAPI 3.0 description of what is served (localgraph openapi --help)
  admin      reset, import, export, ids, clock, faults, token: a running server's admin API
             (localgraph admin --help)
  admin-key  a new admin key for a data folder or database, printed once: admin-key new
             (localgraph admin-key new --help)
  simulate   play connector machines that send heartbeats (localgraph simulate connectors --help)

Options:
  -h, --help     this help
  -V, --version  the version

${serveHelp.split('\n')[0]}
${tokenHelp.split('\n')[0]}
${appAddHelp.split('\n')[0]}
${appListHelp.split('\n')[0]}
${appResetSecretHelp.split('\n')[0]}
${userAddHelp.split('\n')[0]}
${userSetPasswordHelp.split('\n')[0]}
${caHelp.split('\n')[0]}
${certHelp.split('\n')[0]}
${openapiHelp.split('\n')[0]}
Usage: localgraph admin <reset|import|export|ids|clock|faults|token|status> [options]
${adminKeyNewHelp.split('\n')[0]}
${simulateHelp.split('\n')[0]}`;

type Command = (args: string[]) => Promise<number>;

/** A command with subcommands (`app add`): the first argument picks one; `--help` lists them. */
function group(name: string, subcommands: Record<string, { run: Command; help: string }>): Command {
  return async ([sub, ...args]) => {
    if (sub === '--help' || sub === '-h') {
      console.log(
        Object.values(subcommands)
          .map((c) => c.help.split('\n')[0])
          .join('\n'),
      );
      console.log(
        `\nEach takes --help: ${Object.keys(subcommands)
          .map((s) => `localgraph ${name} ${s} --help`)
          .join(', ')}`,
      );
      return 0;
    }
    const chosen = sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
    if (!chosen)
      throw new UsageError(
        `${name} needs a subcommand: ${Object.keys(subcommands)
          .map((s) => `${name} ${s}`)
          .join(', ')}`,
      );
    return chosen.run(args);
  };
}

/** The version in the package.json beside dist/ (dist/src/cli/main.js → package.json). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

const commands: Record<string, Command> = {
  serve: serveCommand,
  token: tokenCommand,
  app: group('app', {
    add: { run: appAddCommand, help: appAddHelp },
    list: { run: appListCommand, help: appListHelp },
    'reset-secret': { run: appResetSecretCommand, help: appResetSecretHelp },
  }),
  user: group('user', {
    add: { run: userAddCommand, help: userAddHelp },
    'set-password': { run: userSetPasswordCommand, help: userSetPasswordHelp },
  }),
  ca: caCommand,
  cert: certCommand,
  openapi: openapiCommand,
  admin: adminCommand,
  'admin-key': group('admin-key', { new: { run: adminKeyNewCommand, help: adminKeyNewHelp } }),
  simulate: simulateCommand,
};

async function main(argv: string[]): Promise<number> {
  // Everything localgraph writes (database, its WAL, lock, certificates, keys) is its owner's
  // alone, whatever the shell's umask; SQLite gives its WAL the database file's mode.
  if (process.platform !== 'win32') process.umask(0o077);
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(help);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    console.log(version());
    return 0;
  }
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run) throw new UsageError(`unknown command '${command}' (try localgraph --help)`);
  return run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`localgraph: ${error.message}`);
      process.exitCode = 2;
    } else {
      console.error(`localgraph: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  },
);
