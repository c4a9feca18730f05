/**
 * Content-based similarity benchmark: TF-IDF fit + top-10 most similar documents for every document, on the Netflix
 * catalog's 8.8k descriptions and on a generated 100k-document corpus, beside scikit-learn (bench/peers/tfidf_topk.py)
 * in the same run. Prints one JSON line per measurement, with the ratio and the agreement of the two top-10 lists.
 *
 * Run: npm run bench -- content [--threads N] [--synthetic N] [--peer-rows N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { TfidfVectorizer } from '../src/text/tfidf.js';
import { WorkerPool } from '../src/core/pool.js';
import { cosineTopKParallel } from '../src/text/similarity/parallel.js';
import { netflixCatalog, syntheticCorpus } from './content-data.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = resolve(process.env['RECKON_DATA'] ?? join(here, '..', '..', 'shared', 'data'));
const argv = process.argv.slice(2);
function arg(name: string, dflt: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
}
const threads = arg('threads', 2);
const nSynthetic = arg('synthetic', 100000);
const peerRows = arg('peer-rows', Infinity);
const K = 10;

// The pool's worker threads are started once per process and reused; start them before timing (under tsx each
// worker also loads the TypeScript loader, ~1 s, which compiled JS does not pay). The start-up is reported apart.
const pool = new WorkerPool({ size: threads });
const tPool = performance.now();
await cosineTopKParallel({ rows: 64, cols: 1, indptr: Int32Array.from({ length: 65 }, (_, i) => i), indices: new Int32Array(64), values: new Float64Array(64).fill(1) }, 2, { pool, blockRows: 8 });
const poolStartS = (performance.now() - tPool) / 1000;

async function runOurs(docs: string[]): Promise<{ fitS: number; topkS: number; idx: Int32Array; vocab: number; nnz: number }> {
  const t0 = performance.now();
  const X = new TfidfVectorizer({ stopWords: 'english' }).fitTransform(docs);
  const t1 = performance.now();
  const nb = await cosineTopKParallel(X, K, { pool });
  const t2 = performance.now();
  return { fitS: (t1 - t0) / 1000, topkS: (t2 - t1) / 1000, idx: nb.indices, vocab: X.cols, nnz: X.indices.length };
}

interface PeerOut {
  n: number;
  vocab: number;
  nnz: number;
  rows_done: number;
  fit_s: number;
  topk_s: number;
  total_s: number;
}

function runPeer(docs: string[], dir: string, rows: number): { out: PeerOut; top: number[][] } | null {
  const docsPath = join(dir, 'docs.json');
  const outPath = join(dir, 'top.json');
  writeFileSync(docsPath, JSON.stringify(docs));
  const args = [join(here, 'peers', 'tfidf_topk.py'), docsPath, String(K), outPath];
  if (Number.isFinite(rows)) args.push(String(rows));
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    process.stderr.write(`peer failed: ${r.stderr}\n`);
    return null;
  }
  return { out: JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerOut, top: JSON.parse(readFileSync(outPath, 'utf8')) as number[][] };
}

/** Mean overlap of our top-k sets with the peer's, over the rows the peer wrote. */
function agreement(ours: Int32Array, theirs: number[][]): number {
  let s = 0;
  for (let i = 0; i < theirs.length; i++) {
    const set = new Set(theirs[i]);
    let hit = 0;
    for (let m = 0; m < K; m++) if (set.has(ours[i * K + m]!)) hit++;
    s += hit / K;
  }
  return theirs.length ? s / theirs.length : NaN;
}

async function bench(name: string, docs: string[], rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-content-'));
  try {
    const ours = await runOurs(docs);
    const peer = runPeer(docs, dir, rows);
    const oursTotal = ours.fitS + ours.topkS;
    const line: Record<string, unknown> = {
      bench: 'content',
      corpus: name,
      docs: docs.length,
      vocab: ours.vocab,
      nnz: ours.nnz,
      threads,
      pool_start_s: +poolStartS.toFixed(3),
      k: K,
      fit_s: +ours.fitS.toFixed(3),
      topk_s: +ours.topkS.toFixed(3),
      total_s: +oursTotal.toFixed(3),
      max_rss_mb: Math.round(resourceUsage().maxRSS / 1024),
    };
    if (peer !== null) {
      // when the peer computed only some rows, scale its top-k time to all rows (stated in the output)
      const scale = docs.length / peer.out.rows_done;
      const peerTotal = peer.out.fit_s + peer.out.topk_s * scale;
      Object.assign(line, {
        peer: 'scikit-learn 1.2.1 TfidfVectorizer + cosine_similarity (chunked) + argpartition',
        peer_vocab: peer.out.vocab,
        peer_nnz: peer.out.nnz,
        peer_fit_s: +peer.out.fit_s.toFixed(3),
        peer_topk_s: +(peer.out.topk_s * scale).toFixed(3),
        peer_total_s: +peerTotal.toFixed(3),
        peer_rows_done: peer.out.rows_done,
        peer_topk_extrapolated: scale !== 1,
        ratio_total: +(peerTotal / oursTotal).toFixed(2),
        top10_agreement: +agreement(ours.idx, peer.top).toFixed(4),
      });
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const netflix = netflixCatalog(dataDir);
await bench('netflix_titles descriptions', netflix.docs, Infinity);
await bench(`synthetic zipf ${nSynthetic}`, syntheticCorpus(nSynthetic), peerRows);
process.exit(0);
