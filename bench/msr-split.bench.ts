/**
 * Checks that the msr-* protocols hold out exactly the rows Microsoft Recommenders' splitters hold out: runs
 * bench/peers/msr_split.py (pandas / numpy / scikit-learn on Debian's python3) and our splitByProtocol on the same
 * u.data, and compares the held-out rows (0-based lines of u.data) one by one. One JSON line per (protocol, seed).
 *
 *   RECKON_DATA=/work/shared/data npm run bench -- msr-split [--seeds 42,1,2]
 *
 * Needs RECKON_DATA (or /work/shared/data) with ml-100k and /usr/bin/python3 with numpy, pandas and scikit-learn;
 * prints a skip line and exits 0 when either is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { movieLensRatingsFile, ratingsRowOrder, readRatings } from '../src/data/movielens.js';
import type { Interactions } from '../src/data/interactions.js';
import { splitByProtocol } from '../src/eval/protocols.js';

const PY = '/usr/bin/python3';
const dataDir = join(process.env['RECKON_DATA'] ?? '/work/shared/data', 'ml-100k');
const seedsArg = process.argv.indexOf('--seeds');
const seeds = (seedsArg >= 0 ? process.argv[seedsArg + 1]! : '42,1,2').split(',').map(Number);

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'msr-split', data: 'ml-100k', ...o, date: new Date().toISOString() }) + '\n');
}

if (!existsSync(join(dataDir, 'u.data')) || !existsSync(PY)) {
  emit({ skipped: `needs ${join(dataDir, 'u.data')} and ${PY} (numpy, pandas, scikit-learn)` });
  process.exit(0);
}

const file = movieLensRatingsFile(dataDir, 'ml-100k');
const data = await readRatings(file, { format: 'ml-100k' });
const rowOrder = await ratingsRowOrder(file, 'ml-100k', data);

/** The file rows of `part`'s entries (part shares data's id maps; rows sorted by item index in both). */
function fileRows(part: Interactions): number[] {
  const rows: number[] = [];
  for (let u = 0; u < part.nUsers; u++) {
    let q = data.indptr[u]!;
    for (let p = part.indptr[u]!; p < part.indptr[u + 1]!; p++) {
      while (data.indices[q]! !== part.indices[p]!) q++;
      rows.push(rowOrder[q]!);
    }
  }
  return rows.sort((a, b) => a - b);
}

const PEER_KIND: Record<string, string> = { 'msr-stratified-75': 'stratified', 'msr-stratified-75-v2': 'stratified-v2', 'msr-random-75': 'random' };
let allEqual = true;
for (const seed of seeds) {
  for (const [protocol, kind] of Object.entries(PEER_KIND)) {
    const r = spawnSync(PY, [join(import.meta.dirname, 'peers', 'msr_split.py'), kind, String(seed), file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`msr_split.py ${kind} ${seed} failed: ${r.stderr}`);
    const peer = JSON.parse(r.stdout) as { testRows: number[]; trainRatings: number; testRatings: number; numpy: string; pandas: string };
    const split = splitByProtocol(protocol, data, seed, { rowOrder });
    const ours = fileRows(split.test);
    let firstDiff = -1;
    const n = Math.max(ours.length, peer.testRows.length);
    for (let k = 0; k < n; k++) {
      if (ours[k] !== peer.testRows[k]) {
        firstDiff = k;
        break;
      }
    }
    const equal = firstDiff === -1;
    allEqual &&= equal;
    emit({
      protocol,
      seed,
      peer: `msr_split.py ${kind} (numpy ${peer.numpy}, pandas ${peer.pandas})`,
      oursTrain: split.train.nnz,
      oursTest: split.test.nnz,
      peerTrain: peer.trainRatings,
      peerTest: peer.testRatings,
      testRowsEqual: equal,
      ...(equal ? {} : { firstDifferentPosition: firstDiff, ours: ours[firstDiff], peerRow: peer.testRows[firstDiff] }),
    });
  }
}
if (!allEqual) process.exit(1);
