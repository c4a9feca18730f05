import { alsHalfStep, gramPlusReg } from '../../src/recommenders/implicit/als-solve.js';
import { Rng } from '../../src/core/rng.js';
const nU = 20000, nI = 5000, per = 50, f = 64;
const rng = new Rng(1);
const indptr = new Int32Array(nU + 1); const indices = new Int32Array(nU * per); const values = new Float32Array(nU * per);
for (let u = 0; u < nU; u++) { const s = new Set<number>(); while (s.size < per) s.add(rng.int(nI)); const a = Int32Array.from(s).sort(); indices.set(a, u * per); values.fill(1, u*per, (u+1)*per); indptr[u + 1] = (u + 1) * per; }
const x = new Float32Array(nU * f).map(() => rng.float() * 0.01); const y = new Float32Array(nI * f).map(() => rng.float() * 0.01);
const yty = gramPlusReg(y, nI, f, 0.01);
for (let rep = 0; rep < 3; rep++) {
  const t = performance.now();
  alsHalfStep(x, y, yty, indptr, indices, values, f, 1, 3, 0, nU);
  const s = (performance.now() - t) / 1000;
  const madds = nU * per * f * 2 * 4 + nU * 4 * f * f;
  console.log(s.toFixed(3), 's', (madds / s / 1e9).toFixed(2), 'G madd/s');
}
