#!/usr/bin/env node
import { adminCommand } from './admin-commands.js';
import { certCommand, certHelp } from './cert.js';
import { openapiCommand, openapiHelp } from './openapi.js';
import { appAddCommand, appAddHelp, userAddCommand, userAddHelp } from './registration-commands.js';
import { serveCommand, serveHelp } from './serve.js';
import { simulateCommand, simulateHelp } from './simulate.js';
import { tokenCommand, tokenHelp } from './token.js';
import { UsageError } from './usage.js';

const help = `localgraph: a self-hostable Microsoft Graph (beta) for the on-premises publishing API family

Usage: localgraph <command> [options]

Commands:
  serve      serve the Graph API and its token endpoint (localgraph serve --help)
  token      print an access token (localgraph token --help)
  app add    register an application that gets tokens (localgraph app add --help)
  user add   create a user who signs in with a password (localgraph user add --help)
  cert       print the TLS certificate of --https (localgraph cert --help)
  openapi    print the OpenAPI 3.0 description of what is served (localgraph openapi --help)
  admin      reset, import, export, ids, clock, faults, token: a running server's admin API
             (localgraph admin --help)
  simulate   play connector machines that send heartbeats (localgraph simulate connectors --help)

Options:
  -h, --help   this help

${serveHelp.split('\n')[0]}
${tokenHelp.split('\n')[0]}
${appAddHelp.split('\n')[0]}
${userAddHelp.split('\n')[0]}
${certHelp.split('\n')[0]}
${openapiHelp.split('\n')[0]}
Usage: localgraph admin <reset|import|export|ids|clock|faults|token|status> [options]
${simulateHelp.split('\n')[0]}`;

type Command = (args: string[]) => Promise<number>;

/** A command with subcommands (`app add`): the first argument picks one. */
function group(name: string, subcommands: Record<string, Command>): Command {
  return async ([sub, ...args]) => {
    const run = sub === undefined ? undefined : subcommands[sub];
    if (!run) throw new UsageError(`${name} needs a subcommand: ${Object.keys(subcommands).map((s) => `${name} ${s}`).join(', ')}`);
    return run(args);
  };
}

const commands: Record<string, Command> = {
  serve: serveCommand,
  token: tokenCommand,
  app: group('app', { add: appAddCommand }),
  user: group('user', { add: userAddCommand }),
  cert: certCommand,
  openapi: openapiCommand,
  admin: adminCommand,
  simulate: simulateCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(help);
    return command === undefined ? 2 : 0;
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
