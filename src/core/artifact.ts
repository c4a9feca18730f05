import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ArtifactError } from './errors.js';
import type { ProgressFn } from './progress.js';
import { decodeSafetensors, encodeSafetensors, type Tensor, type TensorData, tensor } from './safetensors.js';

/** Version of the model.json layout. Loaders refuse versions they do not know. */
export const ARTIFACT_FORMAT_VERSION = 1;

/** What model.json holds besides the weights. Everything must be JSON-serializable. */
export interface ArtifactMeta {
  /** Algorithm name as registered (e.g. "svd"). */
  algorithm: string;
  /** The model's params (plain JSON). */
  params: Record<string, unknown>;
  /** Model-specific JSON state that is not a tensor: id lists, vocabularies, scalars. */
  state?: Record<string, unknown>;
  /** Fingerprint of the training data (see `fingerprintArrays`). */
  fingerprint?: string;
  /** Metrics recorded at training time. */
  metrics?: Record<string, number>;
}

/** A trained model in memory: metadata plus named tensors. */
export interface Artifact {
  meta: ArtifactMeta;
  tensors: Record<string, Tensor>;
}

/** model.json as written on disk. */
interface ModelJson extends ArtifactMeta {
  formatVersion: number;
  createdAt: string;
  weights: { file: string; bytes: number; sha256: string };
}

const MODEL_JSON = 'model.json';
const WEIGHTS = 'weights.safetensors';

/** Writes a file atomically: temp file in the same folder, fsync, rename over the target. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** sha256 over the bytes of several typed arrays, in order: a training-data fingerprint. */
export function fingerprintArrays(...arrays: TensorData[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 32);
}

/**
 * Saves an artifact as a folder `dir` with model.json and weights.safetensors. The folder is written under a temp
 * name and swapped in by rename, so a reader sees the old model or the new one, never a mix or a torn file.
 * (POSIX has no atomic swap of two directories: between moving the old folder aside and renaming the new one into
 * place there is a moment with no folder, which a reader sees as "no model.json"; if the second rename fails the
 * old folder is put back.)
 */
export async function saveArtifact(dir: string, artifact: Artifact): Promise<void> {
  const weights = encodeSafetensors(artifact.tensors, { algorithm: artifact.meta.algorithm });
  const json: ModelJson = {
    formatVersion: ARTIFACT_FORMAT_VERSION,
    ...artifact.meta,
    createdAt: new Date().toISOString(),
    weights: { file: WEIGHTS, bytes: weights.length, sha256: createHash('sha256').update(weights).digest('hex') },
  };
  await mkdir(dirname(dir), { recursive: true });
  const tmp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(tmp);
  let old: string | undefined;
  try {
    await writeFileAtomic(join(tmp, WEIGHTS), weights);
    await writeFileAtomic(join(tmp, MODEL_JSON), JSON.stringify(json, null, 1));
    if (await exists(dir)) {
      old = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.old`;
      await rename(dir, old);
    }
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    // the old model was moved aside but the new one could not take its place: put the old one back
    if (old !== undefined && !(await exists(dir))) await rename(old, dir).catch(() => undefined);
    throw new ArtifactError(dir, `could not write the model (${(e as Error).message})`, { cause: e });
  }
  if (old !== undefined) await rm(old, { recursive: true, force: true });
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads and verifies an artifact folder: model.json format version, the weights file's size and sha256 against
 * model.json, and the safetensors header (dtypes, shapes, byte ranges, data checksum). Any mismatch is an
 * {@link ArtifactError} naming the file and the problem. `opts.onProgress` gets `load` events in bytes of the
 * weights file (read in 8 MiB chunks then; in one call otherwise).
 */
export async function loadArtifact(dir: string, expectAlgorithm?: string, opts: { onProgress?: ProgressFn } = {}): Promise<Artifact> {
  // A save swaps folders by two renames, so a load that overlaps one can find no folder for an instant, or read
  // model.json of one save and the weights of the next. Both are reported as transient and retried with a short
  // backoff; a file that is really missing or damaged fails every attempt with the same message.
  for (let attempt = 0; ; attempt++) {
    try {
      return await loadOnce(dir, expectAlgorithm, opts.onProgress);
    } catch (e) {
      if (!transientErrors.has(e as object) || attempt >= RETRY_DELAYS_MS.length) throw e;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    }
  }
}

/** Back-off before each retry of a load that overlapped a save. */
const RETRY_DELAYS_MS = [5, 20, 50, 100];
const transientErrors = new WeakSet<object>();
function transient(e: ArtifactError): ArtifactError {
  transientErrors.add(e);
  return e;
}

/** Reads a whole file in chunks, reporting bytes read as `load` events. */
async function readFileWithProgress(path: string, onProgress: ProgressFn): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(size);
    const chunk = 8 << 20;
    let at = 0;
    onProgress({ step: 'load', done: 0, total: size });
    while (at < size) {
      const { bytesRead } = await fh.read(buf, at, Math.min(chunk, size - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
      onProgress({ step: 'load', done: at, total: size });
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}

async function loadOnce(dir: string, expectAlgorithm: string | undefined, onProgress: ProgressFn | undefined): Promise<Artifact> {
  const jsonPath = join(dir, MODEL_JSON);
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing) throw transient(new ArtifactError(jsonPath, 'no model.json here (not a model folder?)', { cause: e }));
    throw new ArtifactError(jsonPath, `model.json is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (json === null || typeof json !== 'object' || json.formatVersion !== ARTIFACT_FORMAT_VERSION) {
    throw new ArtifactError(jsonPath, `unknown format version ${JSON.stringify(json?.formatVersion)}; this Reckon reads version ${ARTIFACT_FORMAT_VERSION}`);
  }
  if (typeof json.algorithm !== 'string' || json.weights === undefined || typeof json.weights.sha256 !== 'string') {
    throw new ArtifactError(jsonPath, 'model.json lacks "algorithm" or "weights"');
  }
  if (expectAlgorithm !== undefined && json.algorithm !== expectAlgorithm) {
    throw new ArtifactError(jsonPath, `holds a "${json.algorithm}" model, expected "${expectAlgorithm}"`);
  }
  const wPath = join(dir, basename(json.weights.file));
  let buf: Buffer;
  try {
    buf = onProgress === undefined ? await readFile(wPath) : await readFileWithProgress(wPath, onProgress);
  } catch (e) {
    const err = new ArtifactError(wPath, `cannot read weights (${(e as Error).message})`, { cause: e });
    throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? transient(err) : err;
  }
  if (buf.length !== json.weights.bytes) {
    throw transient(new ArtifactError(wPath, `weights file is ${buf.length} bytes but model.json says ${json.weights.bytes} (truncated or replaced)`));
  }
  if (createHash('sha256').update(buf).digest('hex') !== json.weights.sha256) {
    throw transient(new ArtifactError(wPath, 'weights checksum does not match model.json (corrupted or tampered)'));
  }
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(buf, wPath);
  } catch (e) {
    throw new ArtifactError(wPath, (e as Error).message.replace(`${wPath}: `, ''), { cause: e });
  }
  const meta: ArtifactMeta = { algorithm: json.algorithm, params: json.params ?? {} };
  if (json.state !== undefined) meta.state = json.state;
  if (json.fingerprint !== undefined) meta.fingerprint = json.fingerprint;
  if (json.metrics !== undefined) meta.metrics = json.metrics;
  return { meta, tensors: decoded.tensors };
}

/** Reads a tensor from a loaded artifact with the expected dtype and (optionally) shape, or throws ArtifactError. */
export function requireTensor<T extends TensorData>(
  artifact: Artifact,
  name: string,
  ctor: new (n: number) => T,
  shape?: readonly number[],
): T {
  const t = artifact.tensors[name];
  const where = `${artifact.meta.algorithm} artifact`;
  if (t === undefined) throw new ArtifactError(where, `missing tensor "${name}"`);
  if (!(t.data instanceof ctor)) throw new ArtifactError(where, `tensor "${name}" has dtype ${t.dtype}, expected ${ctor.name}`);
  if (shape !== undefined && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
    throw new ArtifactError(where, `tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t.data as T;
}

export { tensor };
