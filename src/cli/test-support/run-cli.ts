import { vi } from 'vitest';
import { buildProgram } from '../main.js';

/**
 * Runs the `reckon` program in-process with `args` (as typed after `reckon`) and returns what it wrote to stdout.
 * Commander errors throw (exitOverride) instead of exiting. `quietStderr` also swallows stderr (progress, warnings).
 */
export async function runCli(args: string[], opts: { quietStderr?: boolean } = {}): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  });
  const err = opts.quietStderr ? vi.spyOn(process.stderr, 'write').mockImplementation(() => true) : undefined;
  try {
    await buildProgram().exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
    err?.mockRestore();
  }
  return out;
}
