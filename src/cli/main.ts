#!/usr/bin/env node
import { serveCommand, serveHelp } from './serve.js';
import { tokenCommand, tokenHelp } from './token.js';
import { UsageError } from './usage.js';

const help = `localgraph: a self-hostable Microsoft Graph (beta) for the on-premises publishing API family

Usage: localgraph <command> [options]

Commands:
  serve    serve the Graph API (localgraph serve --help)
  token    print an access token (localgraph token --help)

Options:
  -h, --help   this help

${serveHelp.split('\n')[0]}
${tokenHelp.split('\n')[0]}`;

const commands: Record<string, (args: string[]) => Promise<number>> = { serve: serveCommand, token: tokenCommand };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(help);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
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
