/** Scratch of one NCF batch, allocated once per epoch (or per scoring call). */
export class NcfBuffers {
  readonly gu: Float32Array;
  readonly gi: Float32Array;
  readonly dgu: Float32Array;
  readonly dgi: Float32Array;
  readonly mu: Float32Array;
  readonly mi: Float32Array;
  readonly x: Float32Array;
  readonly z: Float32Array;
  readonly dz: Float32Array;

  constructor(rows: number, f: number, e: number, outIn: number) {
    this.gu = new Float32Array(rows * f);
    this.gi = new Float32Array(rows * f);
    this.dgu = new Float32Array(rows * f);
    this.dgi = new Float32Array(rows * f);
    this.mu = new Float32Array(rows * e);
    this.mi = new Float32Array(rows * e);
    this.x = new Float32Array(rows * 2 * e);
    this.z = new Float32Array(rows * outIn);
    this.dz = new Float32Array(rows * outIn);
  }
}

