import { setFlagsFromString } from 'node:v8';
import { WASM_BASE64 } from './kernels-wasm.js';

/**
 * The WebAssembly kernels of kernels.wat, bound to one shared memory. Every pointer argument is a BYTE address in
 * that memory (a typed array view's `byteOffset`); counts and indices are elements.
 */
export interface WasmKernels {
  histRows(B: number, d: number, rowIdx: number, k0: number, k1: number, q: number, hist: number): void;
  histRange(B: number, d: number, r0: number, r1: number, q: number, hist: number, f0: number, f1: number): void;
  /** rowIdx < 0: the rows k0..k1-1 themselves. */
  histFeats(B: number, d: number, rowIdx: number, k0: number, k1: number, q: number, feats: number, nf: number, hist: number): void;
  partition(Bc: number, n: number, rowIdx: number, start: number, end: number, f: number, bin: number, missingLeft: number, scratch: number): number;
  addF64(dst: number, src: number, len: number): void;
  /** binning.ts's binRows on `rows` rows of raw values at x (the index arrays of a BinIndex in the memory). */
  binRows(x: number, rows: number, d: number, r0: number, n: number, edges: number, last: number, lo: number, scale: number, start: number, grid: number, B: number, Bc: number): void;
  /** Binary logistic gradients of rows [i0, i1) into g, h and gh; [max |g|, max |h|] at out. */
  gradBinary(m: number, y: number, w: number, g: number, h: number, gh: number, i0: number, i1: number, out: number): void;
  /** V8's Math.exp, bit for bit. */
  exp(x: number): number;
  packRounded(gh: number, i0: number, i1: number, gInv: number, hInv: number, gL: number, hL: number, P: number, seed: number, q: number): void;
  /** f < 0: a leaf's [sum g, sum h, 0, 0]; else the split's left and right sums; 4 f64 at out. */
  rangeSums(Bc: number, n: number, rowIdx: number, gh: number, s: number, e: number, f: number, bin: number, missingLeft: number, out: number): void;
  addRangeValues(Bc: number, n: number, rowIdx: number, s: number, e: number, f: number, bin: number, missingLeft: number, vl: number, vr: number, out: number, stride: number, c: number): void;
  subF64(dst: number, src: number, len: number): void;
  /** Boosting's batch descent of rows [r0, r1) over nT trees in descent layout (global node indices); see kernels.wat. */
  boostRows(x: number, d: number, r0: number, r1: number, nT: number, toff: number, tdep: number, feat: number, thr: number, left: number, nanr: number, val: number, k: number, base: number, out: number): void;
}

/** Largest memory the kernels address (their pointers are signed 32-bit: a negative row-index pointer means none). */
const MAX_WASM_BYTES = 2 ** 31 - 2 ** 16;
const PAGE = 2 ** 16;
/** Alignment of every array carved from the memory (a cache line; also the 16 bytes SIMD loads like). */
const ALIGN = 64;

let compiled: WebAssembly.Module | null | undefined;

/** Whether the process was started with its own choice of WebAssembly compiler tiers (then left alone). */
function tiersChosen(): boolean {
  return [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) => a.includes('liftoff') || a.includes('wasm-dynamic-tiering'));
}

/**
 * The compiled module, or undefined where WebAssembly with threads and SIMD is not available. V8 normally compiles
 * WebAssembly with its baseline compiler (Liftoff) and re-compiles hot functions optimised later: the kernels ran
 * about 1.5x slower for most of a first fit. They are compiled optimised at once instead (a few milliseconds), with
 * the baseline tier switched off for this one compilation; the compiled module is then shared with the workers.
 */
function wasmModule(): WebAssembly.Module | undefined {
  if (compiled === undefined) {
    const bytes = Buffer.from(WASM_BASE64, 'base64');
    const own = !tiersChosen();
    try {
      if (own) setFlagsFromString('--no-liftoff');
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    } finally {
      if (own) setFlagsFromString('--liftoff');
    }
  }
  return compiled ?? undefined;
}

const bound = new WeakMap<WebAssembly.Memory, WasmKernels>();

/** The kernels instantiated on `memory` (once per memory and thread), from `module` (one compiled elsewhere and passed to this thread) or this thread's own. */
export function kernelsFor(memory: WebAssembly.Memory, module?: WebAssembly.Module): WasmKernels {
  let k = bound.get(memory);
  if (k === undefined) {
    const mod = module ?? wasmModule();
    if (mod === undefined) throw new Error('WebAssembly kernels are not available in this runtime');
    k = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as WasmKernels;
    bound.set(memory, k);
  }
  return k;
}

/** Arrays to carve from one memory: element kind and length. */
export type ArraySpec = { kind: 'u8' | 'i32' | 'f64'; len: number };
type ArrayOf<S> = S extends { kind: 'u8' } ? Uint8Array : S extends { kind: 'i32' } ? Int32Array : Float64Array;
/** Named arrays, or named lists of arrays (one per thread, say). */
export type Layout = Record<string, ArraySpec | ArraySpec[]>;
export type Arrays<L extends Layout> = { [K in keyof L]: L[K] extends ArraySpec[] ? ArrayOf<L[K][number]>[] : ArrayOf<L[K]> };

const BYTES = { u8: 1, i32: 4, f64: 8 } as const;

/**
 * One shared memory holding the arrays of `layout` (each 64-byte aligned, zeroed), or undefined when the kernels
 * cannot run here or the arrays exceed {@link MAX_WASM_BYTES} (callers then keep their JavaScript kernels).
 */
export function wasmArrays<L extends Layout>(layout: L): { memory: WebAssembly.Memory; module: WebAssembly.Module; arrays: Arrays<L> } | undefined {
  const module = wasmModule();
  if (module === undefined) return undefined;
  let total = 0;
  const place = (s: ArraySpec): number => {
    const at = total;
    total += Math.ceil((Math.max(1, s.len) * BYTES[s.kind]) / ALIGN) * ALIGN;
    return at;
  };
  const offsets = Object.values(layout).map((v) => (Array.isArray(v) ? v.map(place) : place(v)));
  if (total > MAX_WASM_BYTES) return undefined;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  const buf = memory.buffer;
  const view = (s: ArraySpec, at: number): Uint8Array | Int32Array | Float64Array => (s.kind === 'u8' ? new Uint8Array(buf, at, s.len) : s.kind === 'i32' ? new Int32Array(buf, at, s.len) : new Float64Array(buf, at, s.len));
  const arrays: Record<string, unknown> = {};
  Object.entries(layout).forEach(([name, v], i) => {
    const at = offsets[i];
    arrays[name] = Array.isArray(v) ? v.map((spec, k) => view(spec, (at as number[])[k])) : view(v, at as number);
  });
  return { memory, module, arrays: arrays as Arrays<L> };
}
