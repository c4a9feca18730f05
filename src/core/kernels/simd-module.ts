/**
 * A tiny WebAssembly module, assembled here byte by byte (no build tool), holding the f32 SIMD micro-kernel of
 * {@link gemm}'s all-float32 path. Kept readable: every instruction is named below.
 *
 * `panel(ap, bp, kb, strips, out)` — byte addresses into the imported memory:
 *   ap:  packed A, kb x MR floats, row-interleaved: ap[p*MR + r] = A[r][p]
 *   bp:  packed B, `strips` strips of kb x 8 floats: bp[s*8*kb + p*8 + t] = op(B)[p][8s + t]
 *   out: MR rows of strips*8 floats: out[r][8s + t] = Σ_p ap[p*MR+r] · bp[s*8*kb + p*8 + t]
 * Each strip is an MR x 8 tile (MR = 4) held in 2·MR f32x4 accumulators over the kb-deep slice (one splat of A
 * per row, two loads of B, 2·MR multiplies and adds per step).
 */

import { name, section, simd, sleb, uleb, vec } from './wasm-encode.js';

const I32 = 0x7f;
const V128 = 0x7b;

// core opcodes
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21;
const I32_CONST = 0x41, I32_GE_S = 0x4e, I32_ADD = 0x6a, I32_MUL = 0x6c, I32_SHL = 0x74;
const V128_LOAD = 0x00, V128_LOAD32_SPLAT = 0x09, V128_STORE = 0x0b, V128_CONST = 0x0c;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6;

// locals: params 0..4, then i32 s, p, pa, pb, rowStride, then v128 acc0..acc7, b0, b1, a
const AP = 0, BP = 1, KB = 2, STRIPS = 3, OUT = 4;
const S = 5, P = 6, PA = 7, PB = 8, ROWSTRIDE = 9;
const ACC = 10; // 2·MR accumulators: ACC + 2r + h
/** Rows per tile. 4 measured best (CPU time): 3 is level, 5 and 6 run out of the 16 vector registers and spill. */
export const MR = 4;
const B0 = ACC + 2 * MR, B1 = B0 + 1, A = B0 + 2;

function body(): number[] {
  const c: number[] = [];
  const get = (l: number): void => void c.push(LOCAL_GET, l);
  const set = (l: number): void => void c.push(LOCAL_SET, l);
  const i32 = (v: number): void => void c.push(I32_CONST, ...sleb(v));
  // rowStride = strips * 32 bytes; s = 0
  get(STRIPS); i32(5); c.push(I32_SHL); set(ROWSTRIDE);
  i32(0); set(S);
  c.push(BLOCK, 0x40, LOOP, 0x40);
  get(S); get(STRIPS); c.push(I32_GE_S, BR_IF, 1);
  for (let t = 0; t < 2 * MR; t++) {
    c.push(...simd(V128_CONST, ...new Array<number>(16).fill(0)));
    set(ACC + t);
  }
  get(AP); set(PA);
  // pb = bp + s * kb * 32
  get(BP); get(S); get(KB); c.push(I32_MUL); i32(5); c.push(I32_SHL, I32_ADD); set(PB);
  i32(0); set(P);
  c.push(BLOCK, 0x40, LOOP, 0x40);
  get(P); get(KB); c.push(I32_GE_S, BR_IF, 1);
  get(PB); c.push(...simd(V128_LOAD, 4, ...uleb(0))); set(B0);
  get(PB); c.push(...simd(V128_LOAD, 4, ...uleb(16))); set(B1);
  for (let r = 0; r < MR; r++) {
    get(PA); c.push(...simd(V128_LOAD32_SPLAT, 2, ...uleb(4 * r))); set(A);
    for (let h = 0; h < 2; h++) {
      get(ACC + 2 * r + h); get(A); get(h === 0 ? B0 : B1);
      c.push(...simd(F32X4_MUL), ...simd(F32X4_ADD));
      set(ACC + 2 * r + h);
    }
  }
  get(PA); i32(4 * MR); c.push(I32_ADD); set(PA);
  get(PB); i32(32); c.push(I32_ADD); set(PB);
  get(P); i32(1); c.push(I32_ADD); set(P);
  c.push(BR, 0, END, END);
  // store the tile: out + r * rowStride + s * 32 (+16 for the second half)
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < 2; h++) {
      get(OUT); get(S); i32(5); c.push(I32_SHL, I32_ADD);
      get(ROWSTRIDE); i32(r); c.push(I32_MUL, I32_ADD);
      get(ACC + 2 * r + h);
      c.push(...simd(V128_STORE, 4, ...uleb(16 * h)));
    }
  }
  get(S); i32(1); c.push(I32_ADD); set(S);
  c.push(BR, 0, END, END);
  c.push(END);
  const locals = vec([[5, I32], [2 * MR + 3, V128]]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes: imports memory `e.m`, exports function `panel`. */
export function simdModuleBytes(): Uint8Array {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...name('panel'), 0x00, 0x00]])),
    ...section(10, vec([body()])),
  ];
  return Uint8Array.from(bytes);
}
