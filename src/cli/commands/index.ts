import type { Command } from 'commander';
import { registerServe } from './serve.js';

/**
 * Every command module registers itself here: one line each, so parallel work touches one line per command.
 * Keep the order: it is the order of `reckon --help`.
 */
export function registerCommands(program: Command): void {
  void program;
  registerServe(program);
}
