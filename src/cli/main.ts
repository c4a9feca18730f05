#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { handleFatal } from './output.js';

/** Builds the `reckon` program (exported for tests, which call `parseAsync` with `{ from: 'user' }`). */
export function buildProgram(): Command {
  const program = new Command('reckon')
    .description('Reckon: recommendation systems and predictive analytics in TypeScript')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  registerCommands(program);
  return program;
}

const entry = process.argv[1];
const isMain = entry !== undefined && pathToFileURL(realpathSync(entry)).href === import.meta.url;
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e: unknown) => handleFatal(e));
}
