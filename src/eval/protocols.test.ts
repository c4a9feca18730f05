import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { plantedInteractions } from '../recommenders/implicit/test-support.js';
import { Interactions } from '../data/interactions.js';
import { splitByProtocol } from './protocols.js';

const data = plantedInteractions({ users: 50, items: 40, perUser: 12 });

describe('named protocols', () => {
  it('msr-stratified-75 keeps ceil(75%) of every user in train, seeded', () => {
    const a = splitByProtocol('msr-stratified-75', data, 1);
    const b = splitByProtocol('msr-stratified-75', data, 1);
    expect(a.k).toBe(10);
    expect(a.train.nnz + a.test.nnz).toBe(data.nnz);
    for (let u = 0; u < data.nUsers; u++) expect(a.train.rowLength(u)).toBe(Math.ceil(0.75 * data.rowLength(u)));
    expect(Array.from(a.test.indices)).toEqual(Array.from(b.test.indices));
    expect(Array.from(splitByProtocol('msr-stratified-75', data, 2).test.indices)).not.toEqual(Array.from(a.test.indices));
  });

  it('leave-last-1 holds out each user\'s latest interaction', () => {
    const s = splitByProtocol('leave-last-1', data);
    for (let u = 0; u < data.nUsers; u++) {
      expect(s.test.rowLength(u)).toBe(1);
      const p = s.test.indptr[u]!;
      const last = Math.max(...Array.from(data.timestamps!.subarray(data.indptr[u]!, data.indptr[u + 1]!)));
      expect(s.test.timestamps![p]).toBe(last);
    }
  });

  it('recbole-811 filters values < 3, applies the 10-core and splits 8:1:1 per user', () => {
    const s = splitByProtocol('recbole-811', data, 3);
    const total = s.train.nnz + s.valid!.nnz + s.test.nnz;
    expect(total).toBeLessThan(data.nnz);
    for (const part of [s.train, s.valid!, s.test]) for (let p = 0; p < part.nnz; p++) expect(part.values[p]).toBeGreaterThanOrEqual(3);
    const uc = new Int32Array(data.nUsers);
    const ic = new Int32Array(data.nItems);
    for (const part of [s.train, s.valid!, s.test]) {
      for (let u = 0; u < part.nUsers; u++) uc[u] += part.rowLength(u);
      for (let p = 0; p < part.nnz; p++) ic[part.indices[p]!]++;
    }
    for (const c of uc) expect(c === 0 || c >= 10).toBe(true);
    for (const c of ic) expect(c === 0 || c >= 10).toBe(true);
    for (let u = 0; u < data.nUsers; u++) if (uc[u]! > 0) expect(s.train.rowLength(u)).toBe(Math.floor(0.8 * uc[u]!));
  });

  it('rejects unknown protocols and leave-last-1 without timestamps', () => {
    expect(() => splitByProtocol('nope', data)).toThrow(/expected one of: msr-stratified-75/);
    const noTs = new Interactions(data.users, data.items, data.indptr, data.indices, data.values);
    expect(() => splitByProtocol('leave-last-1', noTs)).toThrow(InvalidArgumentError);
  });
});
