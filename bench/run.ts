/**
 * Benchmark driver: `npm run bench` runs every bench/*.bench.ts in turn; `npm run bench -- NAME [args]` runs
 * bench/NAME.bench.ts. Each benchmark prints JSON lines (one per measurement) on stdout and, where a peer exists, the
 * ratio measured in the same run. Results are also appended to bench/out/NAME.jsonl.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length)).sort();
const chosen = name === undefined ? all : [name];
for (const n of chosen) {
  if (!all.includes(n)) {
    process.stderr.write(`bench: no benchmark "${n}"; available: ${all.join(', ')}\n`);
    process.exit(1);
  }
  process.stderr.write(`== bench ${n}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, `${n}.bench.ts`), ...rest], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
