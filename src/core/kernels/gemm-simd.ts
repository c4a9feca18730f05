import { MR, simdModuleBytes } from './simd-module.js';

/**
 * The all-float32 path of {@link gemm}: same Goto/BLIS blocking as the scalar path, but the micro-kernel is a
 * WebAssembly SIMD function (simd-module.ts) computing 4 x 8 tiles with f32x4 multiply-adds. Products are summed in
 * float32 within each KC-deep slice (relative error about kb · 2⁻²⁴, against 2⁻⁵³ on the scalar path), which is
 * what BLAS sgemm does too; pass `{ simd: false }` to gemm for double-precision accumulation.
 * Memory: one 320 KB WebAssembly memory per thread, created on first use.
 */

const NCW = 256; // columns per packed B panel (multiple of 8)
const KCW = 256; // depth per slice
const BP = 0;
const AP = NCW * KCW * 4;
const OUT = AP + MR * KCW * 4;
const BYTES = OUT + MR * NCW * 4;

/** The slice of the WebAssembly JS API used here (the project's lib settings do not declare it as a value). */
interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

type PanelFn = (ap: number, bp: number, kb: number, strips: number, out: number) => void;

let state: { panel: PanelFn; f32: Float32Array } | null | undefined;

/** The per-thread SIMD kernel, or null when this runtime has no WebAssembly SIMD. */
function simdKernel(): { panel: PanelFn; f32: Float32Array } | null {
  if (state === undefined) {
    try {
      if (wasm === undefined) throw new Error('no WebAssembly');
      const memory = new wasm.Memory({ initial: Math.ceil(BYTES / 65536) });
      const inst = new wasm.Instance(new wasm.Module(simdModuleBytes()), { e: { m: memory } });
      state = { panel: inst.exports['panel'] as PanelFn, f32: new Float32Array(memory.buffer) };
    } catch {
      state = null;
    }
  }
  return state;
}

/** True when the SIMD path can run here. */
export function simdAvailable(): boolean {
  return simdKernel() !== null;
}

/**
 * C += alpha · A · op(B) for float32 operands with the SIMD micro-kernel (C already scaled by beta).
 * Returns false (doing nothing) when WebAssembly SIMD is unavailable.
 */
export function gemmF32Simd(
  a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean, alpha: number,
): boolean {
  const kern = simdKernel();
  if (kern === null) return false;
  const { panel, f32 } = kern;
  const ap0 = AP >> 2;
  const out0 = OUT >> 2;
  for (let jc = 0; jc < n; jc += NCW) {
    const nb = Math.min(NCW, n - jc);
    const strips = (nb + 7) >> 3;
    const rowStride = strips * 8;
    for (let pc = 0; pc < k; pc += KCW) {
      const kb = Math.min(KCW, k - pc);
      // pack op(B)[pc..pc+kb, jc..jc+nb) into strips of 8 columns, zero-padded
      for (let j = 0; j < strips * 8; j++) {
        const base = (j >> 3) * 8 * kb + (j & 7);
        if (j >= nb) {
          for (let p = 0; p < kb; p++) f32[base + p * 8] = 0;
        } else if (transB) {
          const src = (jc + j) * k + pc;
          for (let p = 0; p < kb; p++) f32[base + p * 8] = b[src + p]!;
        } else {
          const src = pc * n + jc + j;
          for (let p = 0; p < kb; p++) f32[base + p * 8] = b[src + p * n]!;
        }
      }
      for (let i = 0; i < m; i += MR) {
        const rows = Math.min(MR, m - i);
        for (let r = 0; r < MR; r++) {
          if (r >= rows) {
            for (let p = 0; p < kb; p++) f32[ap0 + p * MR + r] = 0;
            continue;
          }
          if (transA) {
            const src = pc * m + i + r;
            for (let p = 0; p < kb; p++) f32[ap0 + p * MR + r] = a[src + p * m]!;
          } else {
            const src = (i + r) * k + pc;
            for (let p = 0; p < kb; p++) f32[ap0 + p * MR + r] = a[src + p]!;
          }
        }
        panel(AP, BP, kb, strips, OUT);
        for (let r = 0; r < rows; r++) {
          const o = (i + r) * n + jc;
          const q = out0 + r * rowStride;
          for (let j = 0; j < nb; j++) c[o + j] = c[o + j]! + alpha * f32[q + j]!;
        }
      }
    }
  }
  return true;
}
