import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { readBasketFile } from '../../recommenders/implicit/baskets.js';
import { type BoughtTogetherOptions, BoughtTogether } from '../../recommenders/implicit/bought-together.js';
import { formatTable, printJson, progressBar } from '../output.js';

interface Flags {
  baskets: string;
  item: string[];
  k: string;
  separator: string;
  minSupport: string;
  minConfidence: string;
  minLift: string;
  minCount: string;
  sort: string;
  json?: boolean;
}

function num(name: string, text: string, lo: number, hi: number, integer = false): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new InvalidArgumentError(`--${name}: expected ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got "${text}"`, { [name]: text });
  }
  return v;
}

/**
 * `reckon bought-together --baskets FILE --item NAME [--item NAME...]`: frequently bought together from a basket
 * file (one basket per line), with support, confidence and lift thresholds. Without --item, lists the most
 * frequent items with their best partner.
 */
export function registerBoughtTogether(program: Command): void {
  program
    .command('bought-together')
    .description('frequently bought together from a basket file (one basket per line), with counts, support, confidence and lift')
    .requiredOption('--baskets <file>', 'basket file: one basket per line, items separated by --separator')
    .option('--item <id>', 'item to query, as named in the basket file (repeatable); default: the 5 most frequent items', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-k, --k <n>', 'results per item', '5')
    .option('--separator <s>', 'item separator within a line', ',')
    .option('--min-support <x>', 'minimum share of baskets holding both items', '0')
    .option('--min-confidence <x>', 'minimum P(other | item)', '0')
    .option('--min-lift <x>', 'minimum lift', '0')
    .option('--min-count <n>', 'minimum number of baskets holding both items', '1')
    .option('--sort <by>', 'rank by lift, confidence or count', 'lift')
    .option('--json', 'one JSON line')
    .action(async (flags: Flags) => {
      if (!['lift', 'confidence', 'count'].includes(flags.sort)) throw new InvalidArgumentError(`--sort: expected lift, confidence or count, got "${flags.sort}"`);
      const k = num('k', flags.k, 0, 1_000_000, true);
      const opts: BoughtTogetherOptions = {
        minSupport: num('min-support', flags.minSupport, 0, 1),
        minConfidence: num('min-confidence', flags.minConfidence, 0, 1),
        minLift: num('min-lift', flags.minLift, 0, Number.MAX_VALUE),
        minCount: num('min-count', flags.minCount, 1, Number.MAX_SAFE_INTEGER, true),
        sortBy: flags.sort as 'lift' | 'confidence' | 'count',
      };
      // progress on stderr (TTY, no --json): read = lines parsed, count = items whose pair counts are done, query = items queried
      const bar = progressBar(flags.json === true);
      const baskets = await readBasketFile(flags.baskets, flags.separator, bar);
      const bt = BoughtTogether.fromBaskets(baskets, bar === undefined ? {} : { onProgress: bar });
      let items = flags.item;
      if (items.length === 0) items = [...bt.items.list].sort((a, b) => bt.countOf(b) - bt.countOf(a) || (a < b ? -1 : 1)).slice(0, 5);
      const results = items.map((item, q) => {
        const r = { item, baskets: bt.countOf(item), together: bt.boughtTogether(item, k, opts) };
        bar?.({ step: 'query', done: q + 1, total: items.length });
        return r;
      });
      if (flags.json) {
        printJson({ baskets: bt.baskets, items: bt.items.size, results });
        return;
      }
      process.stdout.write(`${bt.baskets} baskets, ${bt.items.size} items (${flags.baskets})\n`);
      for (const r of results) {
        process.stdout.write(`\n${r.item} (in ${r.baskets} baskets)\n`);
        if (r.baskets === 0) {
          process.stdout.write('  unknown item\n');
          continue;
        }
        if (r.together.length === 0) {
          process.stdout.write('  nothing passes the thresholds\n');
          continue;
        }
        process.stdout.write(formatTable(['with', 'count', 'support', 'confidence', 'lift'], r.together.map((t) => [t.id, t.count, t.support, t.confidence, t.lift])));
      }
    });
}
