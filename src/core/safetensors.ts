import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { InvalidArgumentError } from './errors.js';

/**
 * The safetensors container (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`,
 * then the raw little-endian tensor bytes. Readable from Python with `safetensors.numpy.load_file`.
 */

export type DType = 'F64' | 'F32' | 'I32' | 'U32' | 'I16' | 'U16' | 'I8' | 'U8';
export type TensorData = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** A named n-dimensional array: flat row-major data with its shape. */
export interface Tensor {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

const BYTES: Record<DType, number> = { F64: 8, F32: 4, I32: 4, U32: 4, I16: 2, U16: 2, I8: 1, U8: 1 };
const MAX_HEADER = 100 * 1024 * 1024;

if (endianness() !== 'LE') throw new Error('reckon: safetensors I/O assumes a little-endian host');

/** dtype tag of a typed array. */
export function dtypeOf(data: TensorData): DType {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Int8Array) return 'I8';
  return 'U8';
}

function makeArray(dtype: DType, bytes: Uint8Array): TensorData {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  switch (dtype) {
    case 'F64': return new Float64Array(copy);
    case 'F32': return new Float32Array(copy);
    case 'I32': return new Int32Array(copy);
    case 'U32': return new Uint32Array(copy);
    case 'I16': return new Int16Array(copy);
    case 'U16': return new Uint16Array(copy);
    case 'I8': return new Int8Array(copy);
    case 'U8': return new Uint8Array(copy);
  }
}

/** A tensor from a typed array: a 1-d shape unless `shape` is given (its product must equal the length). */
export function tensor(data: TensorData, shape?: number[]): Tensor {
  const s = shape ?? [data.length];
  const n = s.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new InvalidArgumentError(`tensor: shape [${s.join(', ')}] holds ${n} values but data has ${data.length}`);
  return { dtype: dtypeOf(data), shape: s, data };
}

/** Serializes tensors (sorted by name) with string metadata; a `sha256` of the data section is added to the metadata. */
export function encodeSafetensors(tensors: Readonly<Record<string, Tensor>>, metadata: Record<string, string> = {}): Buffer {
  const names = Object.keys(tensors).sort();
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const name of names) {
    if (name === '__metadata__') throw new InvalidArgumentError('encodeSafetensors: "__metadata__" is reserved');
    const t = tensors[name]!;
    const bytes = t.data.byteLength;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n * BYTES[t.dtype] !== bytes || dtypeOf(t.data) !== t.dtype) {
      throw new InvalidArgumentError(`encodeSafetensors: tensor "${name}" shape/dtype do not match its data`);
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const body = Buffer.alloc(offset);
  let pos = 0;
  for (const name of names) {
    const d = tensors[name]!.data;
    body.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    pos += d.byteLength;
  }
  header['__metadata__'] = { ...metadata, sha256: createHash('sha256').update(body).digest('hex') };
  let json = JSON.stringify(header);
  const pad = (8 - ((8 + Buffer.byteLength(json)) % 8)) % 8;
  json += ' '.repeat(pad);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + body.length);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  body.copy(out, 8 + headerBytes.length);
  return out;
}

/**
 * Parses and verifies a safetensors buffer: header length within the file, valid JSON, known dtypes, shapes that match
 * byte ranges, contiguous ranges covering the data section exactly, and the data checksum when present.
 * `where` names the file in error messages. Throws a plain Error subclass the caller wraps with the path.
 */
export function decodeSafetensors(buf: Uint8Array, where: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const fail = (problem: string): never => {
    throw new InvalidArgumentError(`${where}: ${problem}`);
  };
  if (buf.byteLength < 8) fail(`file is ${buf.byteLength} bytes, too short for a safetensors header`);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const n64 = view.readBigUInt64LE(0);
  if (n64 > BigInt(Math.min(MAX_HEADER, buf.byteLength - 8))) fail(`header length ${n64} exceeds the file (${buf.byteLength} bytes)`);
  const n = Number(n64);
  let header: unknown;
  try {
    header = JSON.parse(view.subarray(8, 8 + n).toString('utf8'));
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');
  const entries = header as Record<string, unknown>;
  const dataStart = 8 + n;
  const dataLen = buf.byteLength - dataStart;
  const ranges: Array<[string, number, number]> = [];
  const tensors: Record<string, Tensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(entries)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object') fail('__metadata__ is not an object');
      metadata = raw as Record<string, string>;
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`tensor "${name}" is not an object`);
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e.dtype !== 'string' || !(e.dtype in BYTES)) fail(`tensor "${name}" has unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor "${name}" has an invalid shape`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !Number.isInteger(off[0]) || !Number.isInteger(off[1]) || off[0] > off[1]) {
      fail(`tensor "${name}" has invalid data_offsets`);
    }
    const [b, end] = off as [number, number];
    const dtype = e.dtype as DType;
    const count = (e.shape as number[]).reduce((a, c) => a * c, 1);
    if (count * BYTES[dtype] !== end - b) fail(`tensor "${name}": shape [${(e.shape as number[]).join(', ')}] x ${dtype} needs ${count * BYTES[dtype]} bytes but its range holds ${end - b}`);
    if (end > dataLen) fail(`tensor "${name}" ends at byte ${end} but the data section has ${dataLen} bytes (truncated file?)`);
    ranges.push([name, b, end]);
    tensors[name] = { dtype, shape: e.shape as number[], data: makeArray(dtype, buf.subarray(dataStart + b, dataStart + end)) };
  }
  ranges.sort((x, y) => x[1] - y[1]);
  let expect = 0;
  for (const [name, b, end] of ranges) {
    if (b !== expect) fail(`tensor "${name}" starts at ${b}, expected ${expect} (overlapping or gapped ranges)`);
    expect = end;
  }
  if (expect !== dataLen) fail(`data section has ${dataLen} bytes but the tensors cover ${expect}`);
  const sum = metadata['sha256'];
  if (sum !== undefined) {
    const actual = createHash('sha256').update(buf.subarray(dataStart)).digest('hex');
    if (actual !== sum) fail('checksum mismatch: the tensor data was modified or corrupted');
  }
  return { tensors, metadata };
}
