import type { Command } from 'commander';

/**
 * Examples shown at the end of each command's --help, by command path ("data inspect"). Commands without an entry
 * get none; commands that set their own examples keep them.
 */
export const EXAMPLES: Record<string, readonly string[]> = {
  demo: ['reckon demo', 'reckon demo --users 500 --items 200 --models popular,sar --json'],
  data: ['reckon data inspect ratings.csv', 'reckon data convert ratings.csv ratings.parquet'],
  'data inspect': ['reckon data inspect ratings.csv', 'reckon data inspect events.parquet --json'],
  'data convert': ['reckon data convert ratings.csv ratings.parquet'],
  evaluate: [
    'reckon evaluate --data ml-100k --algo svd',
    'reckon evaluate --data ml-100k --algo baseline,svd,knn-baseline --report compare.html',
    'reckon evaluate --data ratings.csv --format csv --algo svd --set factors=50 --set epochs=30 --cv 5 --json',
    'reckon evaluate --task ranking --data ml-100k --algo popular,item-knn --report ranking.html',
  ],
  tune: ['reckon tune --data ml-100k --algo svd --grid \'{"factors":[20,50],"learningRate":[0.005,0.01]}\' --out best-svd'],
  train: ['reckon train --data ml-100k --algo svd --out models/svd'],
  recommend: ['reckon recommend --model models/svd --user 196 -k 10'],
  'bought-together': ['reckon bought-together --baskets baskets.txt --item milk -k 5'],
  similar: ['reckon similar --data movies.csv --id-column movieId --text-column title --item 1 -k 10'],
  serve: ['reckon serve', 'RECKON_API_KEYS=secret-admin-key:write reckon serve --host 0.0.0.0 --port 8080', 'open http://127.0.0.1:8787/ for the dashboard'],
  report: ['reckon report --from runs.jsonl --out compare.html'],
  tabular: ['reckon tabular evaluate --data churn.csv --target Churn --algo gbdt --report churn.html'],
  'tabular evaluate': [
    'reckon tabular evaluate --data churn.csv --target Churn --algo gbdt --cv 5',
    'reckon tabular evaluate --data churn.csv --target Churn --algo logistic --metrics auc,logloss,f1 --report churn.html',
  ],
  'tabular train': ['reckon tabular train --data churn.csv --target Churn --algo gbdt --out models/churn'],
  'tabular predict': ['reckon tabular predict --model models/churn --data new-customers.csv --out scores.csv'],
  pipeline: ['reckon pipeline run --candidate "als:factors=32|64" --json', 'reckon pipeline list'],
  'pipeline run': [
    'reckon pipeline run --candidate "als:factors=32|64" --candidate bpr --metric ndcg@10 --json',
    'reckon pipeline run --schedule "0 3 * * *"',
    'reckon pipeline run --backfill 2026-11-01..2026-11-07',
  ],
  'pipeline list': ['reckon pipeline list --limit 5 --json'],
  'pipeline status': ['reckon pipeline status RUN_ID --json'],
  'pipeline logs': ['reckon pipeline logs RUN_ID --task train', 'reckon pipeline logs RUN_ID --json'],
  worker: ['REDIS_URL=redis://127.0.0.1:6379 reckon worker --concurrency 2'],
  completion: ['reckon completion bash >> ~/.bashrc', 'reckon completion zsh > "${fpath[1]}/_reckon"'],
};

function path(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null && c.parent !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds the examples above to every registered command (recursively). */
export function addExamples(program: Command): void {
  const visit = (cmd: Command) => {
    const ex = EXAMPLES[path(cmd)];
    if (ex !== undefined) cmd.addHelpText('after', `\nExamples:\n${ex.map((e) => `  $ ${e}`).join('\n')}\n`);
    for (const sub of cmd.commands) visit(sub);
  };
  for (const c of program.commands) visit(c);
}

/** Command names and their long options, for completion scripts. */
export function commandTree(program: Command): { path: string; options: string[] }[] {
  const out: { path: string; options: string[] }[] = [];
  const visit = (cmd: Command) => {
    out.push({ path: path(cmd), options: cmd.options.map((o) => o.long ?? o.short ?? '').filter((o) => o !== '').concat('--help') });
    for (const sub of cmd.commands) visit(sub);
  };
  for (const c of program.commands) visit(c);
  return out;
}
