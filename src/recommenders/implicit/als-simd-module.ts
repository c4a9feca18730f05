/**
 * A tiny WebAssembly module, assembled byte by byte (the same approach as src/core/kernels/simd-module.ts), holding
 * the f32x4 SIMD inner loop of the ALS conjugate-gradient step.
 *
 * `acc(yb, ib, vb, n, pb, ob, f8, mode)` — byte addresses into the imported memory, rows of f = 8·f8 floats:
 *   for k in [0, n): y = row ib[k] of the matrix at yb, v = vb[k] (f32), d = y · p (p at pb)
 *     mode 0: out += (v · d) y            (the (C_u - I) part of A p)
 *     mode 1: out += (1 + v - v · d) y    (the residual b - (C_u - I) Y x)
 *     mode 2: out += v y                  (a dense matrix-vector product over rows; d is not computed)
 * `out` (at ob) is accumulated into, not cleared. Dot products use two f32x4 accumulators.
 */

import { name, section, simd, sleb, uleb, vec } from '../../core/kernels/wasm-encode.js';

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21;
const I32_LOAD = 0x28, F32_LOAD = 0x2a;
const I32_CONST = 0x41, F32_CONST = 0x43;
const I32_EQ = 0x46, I32_GE_S = 0x4e, I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_MUL = 0x6c, I32_SHL = 0x74;
const F32_ADD = 0x92, F32_SUB = 0x93, F32_MUL = 0x94;

const V128_LOAD = 0x00, V128_STORE = 0x0b, V128_CONST = 0x0c, F32X4_SPLAT = 0x13, F32X4_EXTRACT = 0x1f;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6;

// params
const YB = 0, IB = 1, VB = 2, N = 3, PB = 4, OB = 5, F8 = 6, MODE = 7;
// locals
const K = 8, Q = 9, E = 10, PP = 11, OO = 12, ROW = 13; // i32
const V = 14, W = 15; // f32
const ACC0 = 16, ACC1 = 17, WV = 18; // v128

function body(): number[] {
  const c: number[] = [];
  const get = (l: number): void => void c.push(LOCAL_GET, l);
  const set = (l: number): void => void c.push(LOCAL_SET, l);
  const i32 = (v: number): void => void c.push(I32_CONST, ...sleb(v));
  const vload = (off: number): void => void c.push(...simd(V128_LOAD, 4, ...uleb(off)));
  const vstore = (off: number): void => void c.push(...simd(V128_STORE, 4, ...uleb(off)));
  const addTo = (l: number, by: number): void => {
    get(l); i32(by); c.push(I32_ADD); set(l);
  };
  get(F8); i32(5); c.push(I32_SHL); set(ROW);
  i32(0); set(K);
  c.push(BLOCK, VOID, LOOP, VOID);
  get(K); get(N); c.push(I32_GE_S, BR_IF, 1);
  // q = yb + ib[k] * row; e = q + row; v = vb[k]
  get(YB); get(IB); get(K); i32(2); c.push(I32_SHL, I32_ADD, I32_LOAD, 2, 0); get(ROW); c.push(I32_MUL, I32_ADD); set(Q);
  get(Q); get(ROW); c.push(I32_ADD); set(E);
  get(VB); get(K); i32(2); c.push(I32_SHL, I32_ADD, F32_LOAD, 2, 0); set(V);
  get(MODE); i32(2); c.push(I32_EQ, IF, VOID);
  get(V); set(W);
  c.push(ELSE);
  c.push(...simd(V128_CONST, ...new Array<number>(16).fill(0))); set(ACC0);
  c.push(...simd(V128_CONST, ...new Array<number>(16).fill(0))); set(ACC1);
  get(PB); set(PP);
  get(Q); set(OO);
  c.push(BLOCK, VOID, LOOP, VOID);
  get(OO); get(E); c.push(I32_GE_U, BR_IF, 1);
  get(ACC0); get(OO); vload(0); get(PP); vload(0); c.push(...simd(F32X4_MUL), ...simd(F32X4_ADD)); set(ACC0);
  get(ACC1); get(OO); vload(16); get(PP); vload(16); c.push(...simd(F32X4_MUL), ...simd(F32X4_ADD)); set(ACC1);
  addTo(OO, 32);
  addTo(PP, 32);
  c.push(BR, 0, END, END);
  get(ACC0); get(ACC1); c.push(...simd(F32X4_ADD)); set(ACC0);
  // w = horizontal sum (the dot product)
  for (let lane = 0; lane < 4; lane++) {
    get(ACC0); c.push(...simd(F32X4_EXTRACT, lane));
    if (lane > 0) c.push(F32_ADD);
  }
  set(W);
  get(MODE); c.push(IF, VOID);
  // w = 1 + v - v * d
  c.push(F32_CONST, 0x00, 0x00, 0x80, 0x3f); get(V); c.push(F32_ADD); get(V); get(W); c.push(F32_MUL, F32_SUB); set(W);
  c.push(ELSE);
  get(V); get(W); c.push(F32_MUL); set(W);
  c.push(END);
  c.push(END);
  // out += w * y
  get(W); c.push(...simd(F32X4_SPLAT)); set(WV);
  get(OB); set(OO);
  c.push(BLOCK, VOID, LOOP, VOID);
  get(Q); get(E); c.push(I32_GE_U, BR_IF, 1);
  get(OO); get(OO); vload(0); get(WV); get(Q); vload(0); c.push(...simd(F32X4_MUL), ...simd(F32X4_ADD)); vstore(0);
  get(OO); get(OO); vload(16); get(WV); get(Q); vload(16); c.push(...simd(F32X4_MUL), ...simd(F32X4_ADD)); vstore(16);
  addTo(OO, 32);
  addTo(Q, 32);
  c.push(BR, 0, END, END);
  addTo(K, 1);
  c.push(BR, 0, END, END);
  c.push(END);
  const locals = vec([[6, I32], [2, F32], [3, V128]]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes: imports memory `e.m`, exports function `acc` (signature above). */
export function alsSimdModuleBytes(): Uint8Array {
  const params = vec(new Array<number[]>(8).fill([I32]));
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...params, 0x00]])),
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...name('acc'), 0x00, 0x00]])),
    ...section(10, vec([body()])),
  ];
  return Uint8Array.from(bytes);
}
