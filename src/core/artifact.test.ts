import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTIFACT_FORMAT_VERSION, fingerprintArrays, loadArtifact, requireTensor, saveArtifact, writeFileAtomic, type Artifact } from './artifact.js';
import { ArtifactError, ErrorCode, InvalidArgumentError } from './errors.js';
import { Rng } from './rng.js';
import { tensor } from './safetensors.js';

const root = mkdtempSync(join(tmpdir(), 'reckon-artifact-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(root, `m${counter++}`);

function sample(seed: number): Artifact {
  const rng = new Rng(seed);
  const userFactors = new Float32Array(5 * 3).map(() => rng.normal());
  return {
    meta: {
      algorithm: 'als',
      params: { factors: 3, regularization: 0.1, seed },
      state: { users: ['a', 'b', 'c', 'd', 'e'], globalMean: 3.5 },
      fingerprint: fingerprintArrays(userFactors),
      metrics: { rmse: 0.9 },
    },
    tensors: { userFactors: tensor(userFactors, [5, 3]), itemBias: tensor(Float64Array.of(0.5, -1)), counts: tensor(Int32Array.of(1, 2, 3)) },
  };
}

async function expectArtifactError(p: Promise<unknown>, msg: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ArtifactError);
  expect((e as ArtifactError).code).toBe(ErrorCode.Artifact);
  expect((e as Error).message).toMatch(msg);
}

function rewriteModelJson(dir: string, edit: (j: Record<string, unknown>) => void): void {
  const p = join(dir, 'model.json');
  const j = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  edit(j);
  writeFileSync(p, JSON.stringify(j));
}

describe('saveArtifact / loadArtifact', () => {
  it('round-trips metadata and tensors exactly', async () => {
    const dir = freshDir();
    const art = sample(1);
    await saveArtifact(dir, art);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.safetensors']);
    const back = await loadArtifact(dir, 'als');
    expect(back.meta).toEqual(art.meta);
    for (const [name, t] of Object.entries(art.tensors)) {
      expect(back.tensors[name]!.shape).toEqual(t.shape);
      expect(back.tensors[name]!.dtype).toBe(t.dtype);
      expect(Array.from(back.tensors[name]!.data)).toEqual(Array.from(t.data));
    }
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { formatVersion: number; createdAt: string; weights: { bytes: number; sha256: string } };
    const w = readFileSync(join(dir, 'weights.safetensors'));
    expect(json.formatVersion).toBe(ARTIFACT_FORMAT_VERSION);
    expect(Number.isNaN(Date.parse(json.createdAt))).toBe(false);
    expect(json.weights.bytes).toBe(w.length);
    expect(json.weights.sha256).toBe(createHash('sha256').update(w).digest('hex'));
  });

  it('omits absent optional metadata and creates missing parent folders', async () => {
    const dir = join(freshDir(), 'nested', 'model');
    await saveArtifact(dir, { meta: { algorithm: 'pop', params: {} }, tensors: {} });
    const back = await loadArtifact(dir);
    expect(back.meta).toEqual({ algorithm: 'pop', params: {} });
    expect(back.tensors).toEqual({});
  });

  it('overwrites atomically: the new model replaces the old one and no temp folders are left', async () => {
    const dir = freshDir();
    await saveArtifact(dir, sample(1));
    await saveArtifact(dir, sample(2));
    const back = await loadArtifact(dir);
    expect(back.meta.params['seed']).toBe(2);
    const leftovers = readdirSync(root).filter((f) => f.startsWith(dir.split('/').pop()! + '.'));
    expect(leftovers).toEqual([]);
  });

  it('readers racing a writer always get a complete, self-consistent model', async () => {
    const dir = freshDir();
    await saveArtifact(dir, sample(0));
    let done = false;
    const writer = (async () => {
      for (let s = 1; s <= 25; s++) {
        await saveArtifact(dir, sample(s));
        await new Promise((resolve) => setTimeout(resolve, 10)); // saves are rare in practice; keep them frequent but not back to back
      }
      done = true;
    })();
    const errors: string[] = [];
    let loads = 0;
    while (!done) {
      try {
        const a = await loadArtifact(dir, 'als');
        // model.json and the weights come from the same save: the fingerprint matches the loaded tensor
        expect(a.meta.fingerprint).toBe(fingerprintArrays(a.tensors['userFactors']!.data));
        expect(a.meta.fingerprint).toBe(sample(a.meta.params['seed'] as number).meta.fingerprint);
        loads++;
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    await writer;
    expect(errors).toEqual([]);
    expect(loads).toBeGreaterThan(0);
  });

  it('keeps the old model when the new one cannot be written', async () => {
    const dir = freshDir();
    await saveArtifact(dir, sample(1));
    const bad: Artifact = { meta: { algorithm: 'als', params: {} }, tensors: { x: { dtype: 'F64', shape: [3], data: new Float32Array(3) } } };
    await expect(saveArtifact(dir, bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect((await loadArtifact(dir)).meta.params['seed']).toBe(1);
  });

  it('refuses a model of another algorithm when one is expected', async () => {
    const dir = freshDir();
    await saveArtifact(dir, sample(1));
    await expectArtifactError(loadArtifact(dir, 'svd'), /holds a "als" model, expected "svd"/);
  });

  describe('refuses damaged artifacts with an ArtifactError naming the file', () => {
    it('a missing folder or model.json', async () => {
      await expectArtifactError(loadArtifact(join(root, 'nope')), /nope\/model\.json: no model\.json here/);
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      unlinkSync(join(dir, 'model.json'));
      await expectArtifactError(loadArtifact(dir), /model\.json: no model\.json here \(not a model folder\?\)/);
    });

    it('a missing weights file', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      unlinkSync(join(dir, 'weights.safetensors'));
      await expectArtifactError(loadArtifact(dir), /weights\.safetensors: cannot read weights/);
    });

    it('a truncated weights file', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      const p = join(dir, 'weights.safetensors');
      const w = readFileSync(p);
      writeFileSync(p, w.subarray(0, w.length - 10));
      await expectArtifactError(loadArtifact(dir), /weights\.safetensors: weights file is \d+ bytes but model\.json says \d+ \(truncated or replaced\)/);
    });

    it('a bit-flipped weights file (data section)', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      const p = join(dir, 'weights.safetensors');
      const w = readFileSync(p);
      w[w.length - 5]! ^= 0x01;
      writeFileSync(p, w);
      await expectArtifactError(loadArtifact(dir), /weights checksum does not match model\.json \(corrupted or tampered\)/);
    });

    it('a bit-flipped safetensors header, even when model.json was updated to match', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      const p = join(dir, 'weights.safetensors');
      const w = readFileSync(p);
      w[9]! ^= 0x20; // inside the JSON header
      writeFileSync(p, w);
      await expectArtifactError(loadArtifact(dir), /checksum does not match/);
      rewriteModelJson(dir, (j) => {
        j['weights'] = { file: 'weights.safetensors', bytes: w.length, sha256: createHash('sha256').update(w).digest('hex') };
      });
      await expectArtifactError(loadArtifact(dir), /weights\.safetensors: header is not valid JSON/);
    });

    it('a bit-flipped data section with model.json updated to match is caught by the safetensors checksum', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      const p = join(dir, 'weights.safetensors');
      const w = readFileSync(p);
      w[w.length - 1]! ^= 0x80;
      writeFileSync(p, w);
      rewriteModelJson(dir, (j) => {
        j['weights'] = { file: 'weights.safetensors', bytes: w.length, sha256: createHash('sha256').update(w).digest('hex') };
      });
      await expectArtifactError(loadArtifact(dir), /weights\.safetensors: checksum mismatch/);
    });

    it('a bit-flipped model.json', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      const p = join(dir, 'model.json');
      const j = readFileSync(p);
      j[0]! ^= 0x02; // '{' becomes 'y'
      writeFileSync(p, j);
      await expectArtifactError(loadArtifact(dir), /model\.json: model\.json is not valid JSON/);
    });

    it('an unknown format version', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      rewriteModelJson(dir, (j) => {
        j['formatVersion'] = 99;
      });
      await expectArtifactError(loadArtifact(dir), /unknown format version 99; this Reckon reads version 1/);
      rewriteModelJson(dir, (j) => {
        delete j['formatVersion'];
      });
      await expectArtifactError(loadArtifact(dir), /unknown format version undefined/);
    });

    it('model.json that is not an object or lacks fields', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      writeFileSync(join(dir, 'model.json'), 'null');
      await expectArtifactError(loadArtifact(dir), /unknown format version/);
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ formatVersion: 1, params: {} }));
      await expectArtifactError(loadArtifact(dir), /lacks "algorithm" or "weights"/);
    });

    it('a weights path that tries to leave the folder is confined to it', async () => {
      const dir = freshDir();
      await saveArtifact(dir, sample(1));
      rewriteModelJson(dir, (j) => {
        (j['weights'] as { file: string }).file = '../../etc/passwd';
      });
      await expectArtifactError(loadArtifact(dir), /passwd: cannot read weights/);
    });
  });
});

describe('requireTensor', () => {
  it('returns the typed data or explains what is wrong', () => {
    const art = sample(3);
    expect(requireTensor(art, 'userFactors', Float32Array, [5, 3]).length).toBe(15);
    expect(requireTensor(art, 'itemBias', Float64Array).length).toBe(2);
    expect(() => requireTensor(art, 'nope', Float32Array)).toThrow(/als artifact: missing tensor "nope"/);
    expect(() => requireTensor(art, 'userFactors', Float64Array)).toThrow(/tensor "userFactors" has dtype F32, expected Float64Array/);
    expect(() => requireTensor(art, 'userFactors', Float32Array, [3, 5])).toThrow(/has shape \[5, 3\], expected \[3, 5\]/);
    expect(() => requireTensor(art, 'userFactors', Float32Array, [15])).toThrow(ArtifactError);
  });
});

describe('fingerprintArrays and writeFileAtomic', () => {
  it('fingerprints are deterministic and sensitive to content and order', () => {
    const a = Float32Array.of(1, 2), b = Int32Array.of(3);
    expect(fingerprintArrays(a, b)).toBe(fingerprintArrays(Float32Array.of(1, 2), Int32Array.of(3)));
    expect(fingerprintArrays(a, b)).not.toBe(fingerprintArrays(b, a));
    expect(fingerprintArrays(a)).not.toBe(fingerprintArrays(Float32Array.of(1, 2.0001)));
    expect(fingerprintArrays(a)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('writeFileAtomic replaces content and leaves no temp file', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const p = join(dir, 'f.txt');
    await writeFileAtomic(p, 'one');
    await writeFileAtomic(p, new Uint8Array([116, 119, 111]));
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });
});
