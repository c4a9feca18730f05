import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { Adam } from './adam.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { maxGradError, weightedSum } from './gradcheck.js';
import { Gru } from './gru.js';
import { CausalSelfAttention } from './attention.js';
import { LayerNorm } from './layer-norm.js';
import { TransformerBlock } from './transformer.js';
import type { Activation } from './ops.js';
import { Param } from './param.js';
import { SoftmaxCrossEntropy, bceWithLogits } from './softmax-ce.js';

/** Gradient checks run in float64 against central differences (eps 1e-5); tolerance: relative error < 1e-6. */
const TOL = 1e-6;

function randArray(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let k = 0; k < n; k++) a[k] = rng.normal(0, 1);
  return a;
}

describe('Dense', () => {
  for (const act of ['none', 'relu', 'tanh', 'sigmoid'] as Activation[]) {
    it(`${act}: weight, bias and input gradients match finite differences`, () => {
      const rng = new Rng(1);
      const layer = new Dense('d', 4, 5, act, rng, true);
      rng.normal();
      for (let k = 0; k < 5; k++) layer.bias.data[k] = rng.normal(0, 0.5);
      const x = randArray(rng, 3 * 4);
      const r = randArray(rng, 3 * 5);
      const loss = (): number => weightedSum(layer.forward(x, 3), r, 15);
      loss();
      const dx = new Float64Array(12);
      layer.backward(r, dx);
      const gW = Float64Array.from(layer.weight.grad);
      const gb = Float64Array.from(layer.bias.grad);
      expect(maxGradError(layer.weight.data, gW, loss)).toBeLessThan(TOL);
      expect(maxGradError(layer.bias.data, gb, loss)).toBeLessThan(TOL);
      expect(maxGradError(x, dx, loss)).toBeLessThan(TOL);
    });
  }
});

describe('Embedding', () => {
  it('gradient is scattered into the touched rows only; padding ids give zero rows', () => {
    const rng = new Rng(2);
    const emb = new Embedding('e', 6, 3, rng, { f64: true });
    const ids = Int32Array.of(4, -1, 1, 4);
    const out = new Float64Array(12);
    const r = randArray(rng, 12);
    const loss = (): number => {
      emb.forward(ids, out);
      return weightedSum(out, r, 12);
    };
    loss();
    expect(out.slice(3, 6)).toEqual(new Float64Array(3));
    emb.backward(ids, r);
    expect(Array.from(emb.weight.touchedRows.subarray(0, emb.weight.nTouched)).sort()).toEqual([1, 4]);
    expect(maxGradError(emb.weight.data, Float64Array.from(emb.weight.grad), loss)).toBeLessThan(TOL);
  });
});

describe('SoftmaxCrossEntropy', () => {
  it('loss, input and item-table gradients match finite differences; ignored rows get zero gradient', () => {
    const rng = new Rng(3);
    const items = new Param('E', 7, 3, false, true).initNormal(rng, 0.8);
    const h = randArray(rng, 4 * 3);
    const targets = Int32Array.of(2, -1, 6, 0);
    const ce = new SoftmaxCrossEntropy(true);
    const dh = new Float64Array(12);
    const loss = (): number => ce.forwardBackward(h, 4, items, targets, new Float64Array(12), 1);
    items.grad.fill(0);
    const l = ce.forwardBackward(h, 4, items, targets, dh, 1);
    // direct loss of row 0
    let z = 0;
    const s: number[] = [];
    for (let i = 0; i < 7; i++) {
      let v = 0;
      for (let c = 0; c < 3; c++) v += h[c]! * items.data[i * 3 + c]!;
      s.push(v);
      z += Math.exp(v);
    }
    expect(l).toBeGreaterThan(Math.log(z) - s[2]!);
    const gE = Float64Array.from(items.grad);
    expect(Array.from(dh.slice(3, 6))).toEqual([0, 0, 0]);
    expect(maxGradError(h, dh, loss)).toBeLessThan(TOL);
    expect(maxGradError(items.data, gE, loss)).toBeLessThan(TOL);
  });

  it('bceWithLogits gradient matches finite differences', () => {
    const x = Float64Array.of(-3, -0.2, 0, 1.5, 40);
    const y = Float64Array.of(0, 1, 1, 0, 1);
    const dx = new Float64Array(5);
    bceWithLogits(x, y, 5, dx, 1);
    expect(maxGradError(x, dx, () => bceWithLogits(x, y, 5, new Float64Array(5), 1))).toBeLessThan(TOL);
  });
});

describe('Gru', () => {
  it('BPTT gradients of all weights and inputs match finite differences, with left padding', () => {
    const rng = new Rng(4);
    const B = 2;
    const T = 4;
    const gru = new Gru('g', 3, 5, rng, true);
    for (const p of [gru.bx, gru.bh]) for (let k = 0; k < p.size; k++) p.data[k] = rng.normal(0, 0.3);
    const x = randArray(rng, B * T * 3);
    const mask = Uint8Array.of(0, 0, 1, 1, 1, 1, 1, 1);
    const r = randArray(rng, B * T * 5);
    const loss = (): number => weightedSum(gru.forward(x, B, T, mask), r, B * T * 5);
    loss();
    const dx = new Float64Array(B * T * 3);
    gru.backward(r, dx);
    for (const p of gru.params) expect(maxGradError(p.data, Float64Array.from(p.grad), loss)).toBeLessThan(TOL);
    expect(maxGradError(x, dx, loss)).toBeLessThan(TOL);
  });
});

describe('Adam', () => {
  it('a sparse param updates only touched rows, identically to the same dense update on those rows', () => {
    const rng = new Rng(5);
    const sparse = new Param('s', 4, 2, true, true).initNormal(rng, 1);
    const dense = new Param('d', 4, 2, false, true);
    dense.data.set(sparse.data);
    const before = Float64Array.from(sparse.data);
    sparse.touch(2);
    sparse.grad[4] = 0.5;
    sparse.grad[5] = -1;
    dense.grad[4] = 0.5;
    dense.grad[5] = -1;
    new Adam([sparse], { learningRate: 0.1 }).step();
    new Adam([dense], { learningRate: 0.1 }).step();
    expect(Array.from(sparse.data.slice(0, 4))).toEqual(Array.from(before.slice(0, 4)));
    expect(sparse.data[4]).toBeCloseTo(dense.data[4]!, 12);
    expect(sparse.data[4]).toBeCloseTo(before[4]! - 0.1, 6); // first Adam step moves by lr·sign(g)
    expect(sparse.data[5]).toBeCloseTo(before[5]! + 0.1, 6);
    expect(sparse.grad[4]).toBe(0);
    expect(sparse.nTouched).toBe(0);
  });
});

describe('LayerNorm, attention and transformer block', () => {
  it('LayerNorm gradients match finite differences', () => {
    const rng = new Rng(6);
    const ln = new LayerNorm('ln', 5, true);
    for (const p of ln.params) for (let k = 0; k < p.size; k++) p.data[k] = rng.normal(1, 0.5);
    const x = randArray(rng, 3 * 5);
    const r = randArray(rng, 15);
    const loss = (): number => weightedSum(ln.forward(x, 3), r, 15);
    loss();
    const dx = new Float64Array(15);
    ln.backward(r, dx);
    for (const p of ln.params) expect(maxGradError(p.data, Float64Array.from(p.grad), loss)).toBeLessThan(TOL);
    expect(maxGradError(x, dx, loss)).toBeLessThan(TOL);
  });

  it('causal self-attention and the full block: gradients match finite differences with padding', () => {
    const rng = new Rng(7);
    const B = 2;
    const T = 4;
    const d = 4;
    const mask = Uint8Array.of(0, 1, 1, 1, 1, 1, 1, 1);
    for (const which of ['attn', 'block'] as const) {
      const layer = which === 'attn' ? new CausalSelfAttention('a', d, rng, true) : new TransformerBlock('b', d, rng, true);
      for (const p of layer.params) for (let k = 0; k < p.size; k++) p.data[k] = p.data[k]! + rng.normal(0, 0.2);
      const x = randArray(rng, B * T * d);
      const r = randArray(rng, B * T * d);
      const loss = (): number => weightedSum(layer.forward(x, B, T, mask), r, B * T * d);
      loss();
      const dx = new Float64Array(B * T * d);
      layer.backward(r, dx);
      for (const p of layer.params) expect(maxGradError(p.data, Float64Array.from(p.grad), loss), `${which} ${p.name}`).toBeLessThan(TOL);
      expect(maxGradError(x, dx, loss), `${which} input`).toBeLessThan(TOL);
    }
  });

  it('causal: perturbing position t+1 leaves outputs at positions <= t unchanged', () => {
    const rng = new Rng(8);
    const T = 5;
    const d = 4;
    const block = new TransformerBlock('b', d, rng, true);
    const mask = new Uint8Array(T).fill(1);
    const x = randArray(rng, T * d);
    for (let t = 0; t < T - 1; t++) {
      const base = Float64Array.from(block.forward(x, 1, T, mask));
      const saved = x[(t + 1) * d]!;
      x[(t + 1) * d] = saved + 3;
      const after = block.forward(x, 1, T, mask);
      x[(t + 1) * d] = saved;
      for (let j = 0; j < (t + 1) * d; j++) expect(after[j]).toBe(base[j]);
      let changed = 0;
      for (let j = (t + 1) * d; j < T * d; j++) changed += Math.abs(after[j]! - base[j]!);
      expect(changed).toBeGreaterThan(0);
    }
  });
});
