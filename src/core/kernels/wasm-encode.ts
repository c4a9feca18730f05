/**
 * The few encoders that Reckon's hand-assembled WebAssembly modules share (the f32 gemm micro-kernel, the SVD SGD
 * epoch, the ALS conjugate-gradient inner loop): LEB128 integers, length-prefixed vectors, names and sections, and
 * the 0xfd-prefixed SIMD opcodes. Each module keeps its own opcode table and body next to its TypeScript twin.
 */

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A SIMD instruction: the 0xfd prefix, the opcode as LEB128, then its immediates. */
export function simd(op: number, ...imm: number[]): number[] {
  return [0xfd, ...uleb(op), ...imm];
}

/** A module section: its id, its byte length, its body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A length-prefixed vector of encoded items. */
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A UTF-8 name with its byte length. */
export function name(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}
