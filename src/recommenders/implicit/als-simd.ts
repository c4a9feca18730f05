import { alsSimdModuleBytes } from './als-simd-module.js';

/**
 * The ALS half-step of {@link alsHalfStep} with its O(nnz f) and O(f^2) loops in f32x4 WebAssembly SIMD
 * (als-simd-module.ts); the O(f) conjugate-gradient bookkeeping stays in float64 JavaScript. Needs f % 8 === 0.
 * Per call the fixed factors Y, YtY (as float32) and the rows' CSR slice are copied into one WebAssembly memory
 * per thread (grown as needed, kept between calls); nothing is allocated per row.
 * Results differ from the scalar path only by float32 rounding of the dot products and sums.
 */

/** The slice of the WebAssembly JS API used here (the project's lib settings do not declare it as a value). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

type AccFn = (yb: number, ib: number, vb: number, n: number, pb: number, ob: number, f8: number, mode: number) => void;

let memory: WasmMemory | undefined;
let accFn: AccFn | undefined;

/** True when the SIMD half-step can run here (WebAssembly SIMD available and f a multiple of 8). */
export function alsSimdUsable(f: number): boolean {
  if (f % 8 !== 0 || f === 0) return false;
  try {
    return wasm !== undefined && wasm.validate(alsSimdModuleBytes());
  } catch {
    return false;
  }
}

function ensure(bytes: number): { mem: WasmMemory; acc: AccFn } {
  if (wasm === undefined) throw new Error('alsHalfStepSimd: no WebAssembly in this runtime');
  const pages = Math.ceil(bytes / 65536);
  if (memory === undefined || accFn === undefined) {
    memory = new wasm.Memory({ initial: Math.max(1, pages) });
    const inst = new wasm.Instance(new wasm.Module(alsSimdModuleBytes()), { e: { m: memory } });
    accFn = inst.exports['acc'] as AccFn;
  } else if (memory.buffer.byteLength < pages * 65536) {
    memory.grow(pages - memory.buffer.byteLength / 65536);
  }
  return { mem: memory, acc: accFn };
}

/** Same contract as {@link alsHalfStep} (rows [start, end) of x, CG warm-started from x), f a multiple of 8. */
export function alsHalfStepSimd(
  x: Float32Array,
  y: Float32Array,
  yty: Float64Array,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  f: number,
  alpha: number,
  cgSteps: number,
  start: number,
  end: number,
): void {
  const base = indptr[start]!;
  const nnz = indptr[end]! - base;
  // float offsets (all multiples of 8 floats = 32 bytes)
  const oY = 0;
  const oM = oY + y.length;
  const oIdx = oM + f * f;
  const oPv = oIdx + f;
  const oP = oPv + f;
  const oOut = oP + f;
  const oIb = oOut + f;
  const oVb = oIb + nnz + 8 - (nnz % 8);
  const total = oVb + nnz + 8;
  const { mem, acc } = ensure(total * 4);
  const m32 = new Float32Array(mem.buffer);
  const i32 = new Int32Array(mem.buffer);
  m32.set(y, oY);
  for (let t = 0; t < f * f; t++) m32[oM + t] = yty[t]!;
  for (let t = 0; t < f; t++) i32[oIdx + t] = t;
  i32.set(indices.subarray(base, base + nnz), oIb);
  for (let t = 0; t < nnz; t++) m32[oVb + t] = alpha * values[base + t]!;
  const f8 = f >> 3;
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const xs = new Float64Array(f);
  for (let u = start; u < end; u++) {
    const s = indptr[u]!;
    const n = indptr[u + 1]! - s;
    const xo = u * f;
    if (n === 0) {
      for (let c = 0; c < f; c++) x[xo + c] = 0;
      continue;
    }
    const ib = (oIb + s - base) * 4;
    const vb = (oVb + s - base) * 4;
    // r = -YtY x + sum_i (c_i - (c_i - 1) y_i.x) y_i
    for (let c = 0; c < f; c++) {
      const v = x[xo + c]!;
      xs[c] = v;
      m32[oP + c] = v;
      m32[oPv + c] = -v;
      m32[oOut + c] = 0;
    }
    acc(oM * 4, oIdx * 4, oPv * 4, f, 0, oOut * 4, f8, 2);
    acc(oY * 4, ib, vb, n, oP * 4, oOut * 4, f8, 1);
    let rsold = 0;
    for (let c = 0; c < f; c++) {
      const v = m32[oOut + c]!;
      r[c] = v;
      p[c] = v;
      rsold += v * v;
    }
    if (rsold < 1e-20) continue;
    for (let it = 0; it < cgSteps; it++) {
      // ap = YtY p + sum_i (c_i - 1) (y_i . p) y_i
      for (let c = 0; c < f; c++) {
        const v = p[c]!;
        m32[oP + c] = v;
        m32[oPv + c] = v;
        m32[oOut + c] = 0;
      }
      acc(oM * 4, oIdx * 4, oPv * 4, f, 0, oOut * 4, f8, 2);
      acc(oY * 4, ib, vb, n, oP * 4, oOut * 4, f8, 0);
      let pap = 0;
      for (let c = 0; c < f; c++) pap += p[c]! * m32[oOut + c]!;
      if (!(pap > 0)) break;
      const step = rsold / pap;
      let rsnew = 0;
      for (let c = 0; c < f; c++) {
        xs[c] += step * p[c]!;
        r[c] -= step * m32[oOut + c]!;
        rsnew += r[c]! * r[c]!;
      }
      if (rsnew < 1e-20) break;
      const beta = rsnew / rsold;
      for (let c = 0; c < f; c++) p[c] = r[c]! + beta * p[c]!;
      rsold = rsnew;
    }
    for (let c = 0; c < f; c++) x[xo + c] = xs[c]!;
  }
}
