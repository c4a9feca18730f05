import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { Rng } from './rng.js';
import { decodeSafetensors, dtypeOf, encodeSafetensors, tensor, type Tensor, type TensorData } from './safetensors.js';

function allDtypes(rng: Rng): Record<string, Tensor> {
  const f64 = new Float64Array(7).map(() => rng.normal());
  const f32 = new Float32Array(12).map(() => rng.normal());
  return {
    f64: tensor(f64),
    f32: tensor(f32, [3, 4]),
    i32: tensor(Int32Array.of(-2147483648, -1, 0, 2147483647)),
    u32: tensor(Uint32Array.of(0, 4294967295, 7)),
    i16: tensor(Int16Array.of(-32768, 32767, 3), [3, 1]),
    u16: tensor(Uint16Array.of(65535)),
    i8: tensor(Int8Array.of(-128, 127, 0), [1, 3]),
    u8: tensor(Uint8Array.of(1, 2, 3, 255, 0)),
    empty: tensor(new Float32Array(0), [0, 5]),
  };
}

/** A hand-built safetensors buffer from a header object and raw data bytes (no padding, no checksum). */
function rawFile(header: unknown, data: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips every dtype, shapes and metadata exactly', () => {
    const t = allDtypes(new Rng(1));
    const buf = encodeSafetensors(t, { algorithm: 'als', note: 'x' });
    const back = decodeSafetensors(buf, 'w');
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(t).sort());
    for (const [name, want] of Object.entries(t)) {
      const got = back.tensors[name]!;
      expect(got.dtype).toBe(want.dtype);
      expect(got.shape).toEqual(want.shape);
      expect(got.data.constructor).toBe(want.data.constructor);
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
    }
    expect(back.metadata['algorithm']).toBe('als');
    expect(back.metadata['note']).toBe('x');
    expect(back.metadata['sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes the standard layout: 8-byte LE header length, JSON header, 8-byte aligned data, sorted contiguous ranges', () => {
    const t = allDtypes(new Rng(2));
    const buf = encodeSafetensors(t);
    const n = Number(buf.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names).toEqual([...names].sort());
    let pos = 0;
    for (const name of names) {
      const e = header[name]!;
      expect(e.data_offsets[0]).toBe(pos);
      pos = e.data_offsets[1];
      // the bytes at the offsets are the tensor's little-endian bytes
      const d = t[name]!.data;
      expect(Buffer.compare(buf.subarray(8 + n + e.data_offsets[0], 8 + n + e.data_offsets[1]), Buffer.from(d.buffer, d.byteOffset, d.byteLength))).toBe(0);
    }
    expect(8 + n + pos).toBe(buf.length);
    expect(header['f32']).toEqual({ dtype: 'F32', shape: [3, 4], data_offsets: expect.any(Array) as unknown });
    const sum = (header['__metadata__'] as unknown as Record<string, string>)['sha256'];
    expect(sum).toBe(createHash('sha256').update(buf.subarray(8 + n)).digest('hex'));
  });

  it('reads a file without checksum or padding written by another tool', () => {
    const data = Float32Array.of(1.5, -2);
    const buf = rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(data.buffer));
    const back = decodeSafetensors(buf, 'other.safetensors');
    expect(Array.from(back.tensors['w']!.data)).toEqual([1.5, -2]);
  });

  it('encodes views (subarrays) and shared memory by their own bytes only', () => {
    const big = new Float64Array(new SharedArrayBuffer(80)).map((_, i) => i);
    const buf = encodeSafetensors({ v: tensor(big.subarray(3, 6)) });
    expect(Array.from(decodeSafetensors(buf, 'w').tensors['v']!.data)).toEqual([3, 4, 5]);
  });

  it('refuses inconsistent tensors when encoding', () => {
    expect(() => tensor(new Float32Array(6), [4, 2])).toThrow(InvalidArgumentError);
    expect(() => encodeSafetensors({ x: { dtype: 'F64', shape: [2], data: new Float32Array(4) } })).toThrow(/shape\/dtype do not match/);
    expect(() => encodeSafetensors({ __metadata__: tensor(new Uint8Array(1)) })).toThrow(/reserved/);
  });

  it('dtypeOf names every supported array type', () => {
    const cases: Array<[TensorData, string]> = [
      [new Float64Array(1), 'F64'], [new Float32Array(1), 'F32'], [new Int32Array(1), 'I32'], [new Uint32Array(1), 'U32'],
      [new Int16Array(1), 'I16'], [new Uint16Array(1), 'U16'], [new Int8Array(1), 'I8'], [new Uint8Array(1), 'U8'],
    ];
    for (const [a, d] of cases) expect(dtypeOf(a)).toBe(d);
  });

  describe('refuses damaged or malformed input with a clear message', () => {
    const good = encodeSafetensors({ a: tensor(Float32Array.of(1, 2, 3)), b: tensor(Int32Array.of(4, 5)) });
    const n = Number(good.readBigUInt64LE(0));
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['too short', good.subarray(0, 5), /too short for a safetensors header/],
      ['header length past the end', (() => { const b = Buffer.from(good); b.writeBigUInt64LE(BigInt(good.length), 0); return b; })(), /header length \d+ exceeds the file/],
      ['truncated data', good.subarray(0, good.length - 3), /ends at byte \d+ but the data section has \d+ bytes \(truncated file\?\)/],
      ['extra bytes', Buffer.concat([good, Buffer.alloc(8)]), /data section has \d+ bytes but the tensors cover/],
      ['flipped data bit', (() => { const b = Buffer.from(good); b[8 + n + 2]! ^= 0x10; return b; })(), /checksum mismatch/],
      ['flipped header bit (JSON breaks)', (() => { const b = Buffer.from(good); b[8]! ^= 0x40; return b; })(), /header is not valid JSON/],
      ['header is an array', rawFile([1, 2], new Uint8Array(0)), /header is not a JSON object/],
      ['unknown dtype', rawFile({ x: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)), /unknown dtype "BF16"/],
      ['bad shape', rawFile({ x: { dtype: 'U8', shape: [-1], data_offsets: [0, 1] } }, new Uint8Array(1)), /invalid shape/],
      ['bad offsets', rawFile({ x: { dtype: 'U8', shape: [1], data_offsets: [1, 0] } }, new Uint8Array(1)), /invalid data_offsets/],
      ['shape vs bytes', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)), /needs 8 bytes but its range holds 4/],
      ['overlap', rawFile({ x: { dtype: 'U8', shape: [2], data_offsets: [0, 2] }, y: { dtype: 'U8', shape: [2], data_offsets: [1, 3] } }, new Uint8Array(3)), /overlapping or gapped/],
      ['entry is null', rawFile({ x: null }, new Uint8Array(0)), /tensor "x" is not an object/],
      ['metadata not an object', rawFile({ __metadata__: 'x' }, new Uint8Array(0)), /__metadata__ is not an object/],
    ];
    for (const [name, buf, msg] of cases) {
      it(name, () => {
        expect(() => decodeSafetensors(buf, 'm/weights.safetensors')).toThrow(InvalidArgumentError);
        expect(() => decodeSafetensors(buf, 'm/weights.safetensors')).toThrow(msg);
        expect(() => decodeSafetensors(buf, 'm/weights.safetensors')).toThrow(/^m\/weights\.safetensors: /);
      });
    }
  });
});
