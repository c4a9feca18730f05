/**
 * The SVD SGD epoch as a small WebAssembly module with 128-bit SIMD (two float64 lanes), generated at load time by
 * a minimal encoder below (no toolchain needed). Same algorithm, order and update rules as the TypeScript loop in
 * svd.ts (which stays as the reference twin and the fallback for an odd number of factors or a runtime without
 * wasm SIMD); results agree to float rounding (the dot product sums even and odd factors separately).
 *
 * Memory layout (byte offsets chosen by {@link SgdWasm.layout}): indptr i32[U+1], indices i32[n], values f32[n],
 * pu f64[U F], qi f64[I F], bu f64[U], bi f64[I].
 */

import { name, section, simd, sleb, uleb } from '../../core/kernels/wasm-encode.js';

import { UnavailableError } from '../../core/errors.js';

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

// parameter indices of the exported `epoch` function
const P = { indptr: 0, indices: 1, values: 2, nU: 3, F8: 4, pu: 5, qi: 6, bu: 7, bi: 8, mu: 9, lrBu: 10, regBu: 11, lrBi: 12, regBi: 13, decayP: 14, lrPu: 15, decayQ: 16, lrQi: 17 } as const;
const PARAM_TYPES = [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64];
// locals after the params: i32 u, k, kend, i, uo, io, f; f64 dot, err, b1, b2; v128 acc, p, q, sp, sq, dp, dq; f64 sse
// (sse = sum of squared errors before each update, returned by `epoch`: the epoch's online training error)
const L = { u: 18, k: 19, kend: 20, i: 21, uo: 22, io: 23, f: 24, dot: 25, err: 26, b1: 27, b2: 28, acc: 29, p: 30, q: 31, sp: 32, sq: 33, dp: 34, dq: 35, sse: 36 } as const;

const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const mem = (align: number): number[] => [...uleb(align), 0];
const I32_LOAD = (): number[] => [0x28, ...mem(2)];
const F32_LOAD = (): number[] => [0x2a, ...mem(2)];
const F64_LOAD = (): number[] => [0x2b, ...mem(3)];
const F64_STORE = (): number[] => [0x39, ...mem(3)];
const V_LOAD = (): number[] => simd(0x00, ...mem(3));
const V_STORE = (): number[] => simd(0x0b, ...mem(3));
const F2_SPLAT = (): number[] => simd(0x14);
const F2_LANE = (l: number): number[] => simd(0x21, l);
const F2_ADD = (): number[] => simd(0xf0);
const F2_MUL = (): number[] => simd(0xf2);
const ADD = 0x6a;
const MUL = 0x6c;
const LT_S = 0x48;
const GE_S = 0x4e;
const FADD = 0xa0;
const FSUB = 0xa1;
const FMUL = 0xa2;
const PROMOTE = 0xbb;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const br = (d: number): number[] => [0x0c, ...uleb(d)];
const brIf = (d: number): number[] => [0x0d, ...uleb(d)];

/** The body of `epoch` (see the module doc): one SGD pass over all ratings in user order. */
function epochBody(): number[] {
  const zero = simd(0x0c, ...new Array<number>(16).fill(0));
  return [
    ...get(P.decayP), ...F2_SPLAT(), ...set(L.dp),
    ...get(P.decayQ), ...F2_SPLAT(), ...set(L.dq),
    ...i32c(0), ...set(L.u),
    ...BLOCK, ...LOOP, // users
    ...get(L.u), ...get(P.nU), GE_S, ...brIf(1),
    // k = indptr[u], kend = indptr[u + 1]
    ...get(P.indptr), ...get(L.u), ...i32c(4), MUL, ADD, ...I32_LOAD(), ...set(L.k),
    ...get(P.indptr), ...get(L.u), ...i32c(4), MUL, ADD, ...i32c(4), ADD, ...I32_LOAD(), ...set(L.kend),
    ...get(P.pu), ...get(L.u), ...get(P.F8), MUL, ADD, ...set(L.uo),
    ...BLOCK, ...LOOP, // ratings
    ...get(L.k), ...get(L.kend), GE_S, ...brIf(1),
    ...get(P.indices), ...get(L.k), ...i32c(4), MUL, ADD, ...I32_LOAD(), ...set(L.i),
    ...get(P.qi), ...get(L.i), ...get(P.F8), MUL, ADD, ...set(L.io),
    // dot
    ...zero, ...set(L.acc), ...i32c(0), ...set(L.f),
    ...LOOP,
    ...get(L.acc),
    ...get(L.uo), ...get(L.f), ADD, ...V_LOAD(),
    ...get(L.io), ...get(L.f), ADD, ...V_LOAD(),
    ...F2_MUL(), ...F2_ADD(), ...set(L.acc),
    ...get(L.f), ...i32c(16), ADD, ...set(L.f),
    ...get(L.f), ...get(P.F8), LT_S, ...brIf(0),
    END,
    ...get(L.acc), ...F2_LANE(0), ...get(L.acc), ...F2_LANE(1), FADD, ...set(L.dot),
    // biases
    ...get(P.bu), ...get(L.u), ...i32c(8), MUL, ADD, ...F64_LOAD(), ...set(L.b1),
    ...get(P.bi), ...get(L.i), ...i32c(8), MUL, ADD, ...F64_LOAD(), ...set(L.b2),
    ...get(P.values), ...get(L.k), ...i32c(4), MUL, ADD, ...F32_LOAD(), PROMOTE,
    ...get(P.mu), ...get(L.b1), FADD, ...get(L.b2), FADD, ...get(L.dot), FADD, FSUB, ...set(L.err),
    ...get(L.sse), ...get(L.err), ...get(L.err), FMUL, FADD, ...set(L.sse),
    ...get(P.bu), ...get(L.u), ...i32c(8), MUL, ADD,
    ...get(L.b1), ...get(P.lrBu), ...get(L.err), ...get(P.regBu), ...get(L.b1), FMUL, FSUB, FMUL, FADD, ...F64_STORE(),
    ...get(P.bi), ...get(L.i), ...i32c(8), MUL, ADD,
    ...get(L.b2), ...get(P.lrBi), ...get(L.err), ...get(P.regBi), ...get(L.b2), FMUL, FSUB, FMUL, FADD, ...F64_STORE(),
    // factors: p <- decayP p + (lrPu err) q ; q <- decayQ q + (lrQi err) p (old values)
    ...get(P.lrPu), ...get(L.err), FMUL, ...F2_SPLAT(), ...set(L.sp),
    ...get(P.lrQi), ...get(L.err), FMUL, ...F2_SPLAT(), ...set(L.sq),
    ...i32c(0), ...set(L.f),
    ...LOOP,
    ...get(L.uo), ...get(L.f), ADD, ...V_LOAD(), ...set(L.p),
    ...get(L.io), ...get(L.f), ADD, ...V_LOAD(), ...set(L.q),
    ...get(L.uo), ...get(L.f), ADD,
    ...get(L.dp), ...get(L.p), ...F2_MUL(), ...get(L.sp), ...get(L.q), ...F2_MUL(), ...F2_ADD(), ...V_STORE(),
    ...get(L.io), ...get(L.f), ADD,
    ...get(L.dq), ...get(L.q), ...F2_MUL(), ...get(L.sq), ...get(L.p), ...F2_MUL(), ...F2_ADD(), ...V_STORE(),
    ...get(L.f), ...i32c(16), ADD, ...set(L.f),
    ...get(L.f), ...get(P.F8), LT_S, ...brIf(0),
    END,
    ...get(L.k), ...i32c(1), ADD, ...set(L.k),
    ...br(0),
    END, END, // ratings
    ...get(L.u), ...i32c(1), ADD, ...set(L.u),
    ...br(0),
    END, END, // users
    ...get(L.sse),
    END,
  ];
}

/** The module bytes: one exported memory "mem" and one exported function "epoch". */
export function sgdModuleBytes(): Uint8Array {
  const type = section(1, [...uleb(1), 0x60, ...uleb(PARAM_TYPES.length), ...PARAM_TYPES, 1, F64]);
  const func = section(3, [...uleb(1), 0]);
  const memory = section(5, [...uleb(1), 0x00, ...uleb(1)]);
  const exp = section(7, [...uleb(2), ...name('epoch'), 0x00, 0, ...name('mem'), 0x02, 0]);
  const locals = [...uleb(4), ...uleb(7), I32, ...uleb(4), F64, ...uleb(7), V128, ...uleb(1), F64];
  const body = [...locals, ...epochBody()];
  const code = section(10, [...uleb(1), ...uleb(body.length), ...body]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...func, ...memory, ...exp, ...code]);
}

type EpochFn = (...args: number[]) => number;

/** The part of the WebAssembly JS API used here (the project's lib settings do not include its DOM typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null when this runtime lacks wasm SIMD. */
function sgdModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi === undefined ? null : new wasmApi.Module(sgdModuleBytes());
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** True when the SIMD SGD kernel can run here. */
export function wasmSgdAvailable(): boolean {
  return sgdModule() !== null;
}

/** Inputs and state of a biased SVD fit, as in svd.ts. */
export interface SgdProblem {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  pu: Float64Array;
  qi: Float64Array;
  bu: Float64Array;
  bi: Float64Array;
  factors: number;
}

/** Hyperparameters of one epoch. */
export interface SgdRates {
  mu: number;
  lrBu: number;
  regBu: number;
  lrBi: number;
  regBi: number;
  decayP: number;
  lrPu: number;
  decayQ: number;
  lrQi: number;
}

/**
 * Runs `epochs` SGD epochs of biased SVD in WebAssembly: copies the problem into the module's memory, runs, and
 * copies pu, qi, bu, bi back. `onEpoch(e, sse)` is called after each epoch (cancellation, progress) with the epoch's
 * sum of squared training errors, each taken just before that rating's update.
 */
export function runWasmSgd(p: SgdProblem, r: SgdRates, epochs: number, onEpoch: (e: number, sse: number) => void): void {
  const mod = sgdModule();
  if (mod === null || wasmApi === undefined) throw new UnavailableError('WebAssembly SIMD', 'this runtime cannot compile the SGD module (use engine "js")');
  const inst = new wasmApi.Instance(mod, {});
  const memory = inst.exports['mem'] as WasmMemory;
  const epoch = inst.exports['epoch'] as EpochFn;
  const align = (x: number): number => (x + 15) & ~15;
  let off = 0;
  const place = (bytes: number): number => {
    const at = off;
    off = align(off + bytes);
    return at;
  };
  const oIndptr = place(p.indptr.byteLength);
  const oIndices = place(p.indices.byteLength);
  const oValues = place(p.values.byteLength);
  const oPu = place(p.pu.byteLength);
  const oQi = place(p.qi.byteLength);
  const oBu = place(p.bu.byteLength);
  const oBi = place(p.bi.byteLength);
  const need = Math.ceil(off / 65536) - memory.buffer.byteLength / 65536;
  if (need > 0) memory.grow(need);
  const buf = memory.buffer;
  new Int32Array(buf, oIndptr, p.indptr.length).set(p.indptr);
  new Int32Array(buf, oIndices, p.indices.length).set(p.indices);
  new Float32Array(buf, oValues, p.values.length).set(p.values);
  const pu = new Float64Array(buf, oPu, p.pu.length);
  const qi = new Float64Array(buf, oQi, p.qi.length);
  const bu = new Float64Array(buf, oBu, p.bu.length);
  const bi = new Float64Array(buf, oBi, p.bi.length);
  pu.set(p.pu);
  qi.set(p.qi);
  bu.set(p.bu);
  bi.set(p.bi);
  const nU = p.indptr.length - 1;
  for (let e = 0; e < epochs; e++) {
    const sse = epoch(oIndptr, oIndices, oValues, nU, p.factors * 8, oPu, oQi, oBu, oBi, r.mu, r.lrBu, r.regBu, r.lrBi, r.regBi, r.decayP, r.lrPu, r.decayQ, r.lrQi);
    onEpoch(e, sse);
  }
  p.pu.set(pu);
  p.qi.set(qi);
  p.bu.set(bu);
  p.bi.set(bi);
}
