/**
 * Kernel-module loading shared by the pool's worker threads and its inline (main-thread) path: a module is imported
 * once per thread (cached by URL) and its named export is checked to be a function.
 */

/** The shape of a pool kernel: `fn(args, start, end)` handles indices [start, end) and returns a cloneable result. */
export type KernelFn = (args: unknown, start: number, end: number) => unknown;

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** Starts importing `module` (once per thread; see loadKernel). */
export function importKernel(module: string): Promise<Record<string, unknown>> {
  let mod = modules.get(module);
  if (mod === undefined) {
    mod = import(module) as Promise<Record<string, unknown>>;
    modules.set(module, mod);
    mod.catch(() => modules.delete(module));
  }
  return mod;
}

/** Imports `module` (a file URL or absolute path) once per thread and returns its exported function `fn`. */
export async function loadKernel(module: string, fn: string): Promise<KernelFn> {
  const f = (await importKernel(module))[fn];
  if (typeof f !== 'function') throw new TypeError(`kernel module ${module} has no exported function "${fn}"`);
  return f as KernelFn;
}
