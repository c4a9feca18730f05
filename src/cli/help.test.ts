import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashCompletion } from './commands/completion.js';
import { EXAMPLES, commandTree } from './help.js';
import { buildProgram } from './main.js';
import { runCli } from './test-support/run-cli.js';
import { formatTable, useColour } from './output.js';

describe('help examples', () => {
  it('the commands with examples show them at the end of --help', () => {
    const program = buildProgram();
    const names = program.commands.map((c) => c.name());
    for (const n of ['demo', 'data', 'evaluate', 'tune', 'train', 'recommend', 'bought-together', 'similar', 'serve', 'report', 'completion']) expect(names).toContain(n);
    for (const c of program.commands) {
      if (EXAMPLES[c.name()] === undefined) continue;
      let text = '';
      c.configureOutput({ writeOut: (s) => (text += s) });
      c.outputHelp();
      expect(text, c.name()).toContain(`Examples:\n  $ ${EXAMPLES[c.name()]![0]}`);
    }
  });

  it('every command, nested ones included, ends its --help with examples; data-printing commands offer --json', () => {
    // commands whose output is not data: a server, a queue worker, a shell script, an HTML file
    const noJson = new Set(['serve', 'worker', 'completion', 'report']);
    const seen: string[] = [];
    const visit = (c: Command, prefix: string): void => {
      const path = prefix === '' ? c.name() : `${prefix} ${c.name()}`;
      seen.push(path);
      let text = '';
      c.configureOutput({ writeOut: (s) => (text += s) });
      c.outputHelp();
      expect(text, path).toMatch(/\nExamples:\n {2}\$ reckon |\nExamples:\n {2}\$ [A-Z_]+=\S+ reckon /);
      const leaf = c.commands.length === 0;
      if (leaf && !noJson.has(path)) expect(text, `${path} --help lists --json`).toMatch(/^\s+--json\b/m);
      for (const sub of c.commands) visit(sub, path);
    };
    for (const c of buildProgram().commands) visit(c, '');
    for (const p of ['evaluate', 'tune', 'train', 'recommend', 'similar', 'bought-together', 'tabular evaluate', 'tabular train', 'tabular predict', 'data inspect', 'data convert', 'demo', 'serve', 'pipeline run', 'pipeline logs', 'worker', 'report', 'completion']) {
      expect(seen, p).toContain(p);
    }
  });

  it('spells the shared flags the same way everywhere (-k/--k, --seed <n>, --data, --format)', () => {
    const flags = new Map<string, string[]>();
    const visit = (c: Command, prefix: string): void => {
      const path = prefix === '' ? c.name() : `${prefix} ${c.name()}`;
      for (const o of c.options.filter((x) => !x.hidden)) (flags.get(o.long ?? o.short ?? '') ?? flags.set(o.long ?? o.short ?? '', []).get(o.long ?? o.short ?? '')!).push(`${path}: ${o.flags}`);
      for (const sub of c.commands) visit(sub, path);
    };
    for (const c of buildProgram().commands) visit(c, '');
    for (const f of flags.get('--k') ?? []) expect(f).toMatch(/: -k, --k <n>$/);
    expect((flags.get('--k') ?? []).length).toBeGreaterThanOrEqual(4);
    expect(flags.get('-k'), 'a bare -k without --k').toBeUndefined();
    for (const f of flags.get('--seed') ?? []) expect(f).toMatch(/: --seed <n>$/);
    for (const f of flags.get('--format') ?? []) expect(f).toMatch(/: --format <fmt>$/);
    // an algorithm is named by --algo, a saved model folder by --model, a user / item by id (columns: --*-column)
    for (const f of flags.get('--algo') ?? []) expect(f).toMatch(/: --algo <name>$/);
    expect((flags.get('--algo') ?? []).length).toBeGreaterThanOrEqual(5);
    for (const f of flags.get('--model') ?? []) expect(f).toMatch(/: --model <dir>$/);
    for (const f of [...(flags.get('--user') ?? []), ...(flags.get('--item') ?? [])]) expect(f).toMatch(/: --(user|item) <id>$/);
    for (const [name, forms] of flags) if (name.endsWith('-column')) for (const f of forms) expect(f).toMatch(/-column <c>$/);
    // every option spelled the same way (same placeholder) wherever it appears, but for these, whose values differ in kind
    const differ = new Set(['--data', '--items', '--models', '--out', '--task']);
    for (const [name, forms] of flags) if (!differ.has(name)) expect(new Set(forms.map((f) => f.split(': ')[1])).size, `${name}: ${forms.join('; ')}`).toBe(1);
    for (const f of flags.get('--data') ?? []) expect(f).toMatch(/: --data <(path|file)>$/);
    for (const f of flags.get('--json') ?? []) expect(f).toMatch(/: --json$/);
  });

  it('lists nested commands with their options', () => {
    const tree = commandTree(buildProgram());
    expect(tree.find((t) => t.path === 'evaluate')?.options).toContain('--report');
    expect(tree.some((t) => t.path === 'data inspect')).toBe(true);
  });
});

describe('bash completion', () => {
  it('completes commands, subcommands and options, skipping option values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-completion-'));
    try {
      const script = join(dir, 'c.sh');
      writeFileSync(script, bashCompletion(buildProgram()));
      const complete = (words: string[]) =>
        execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _reckon_complete; echo "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' }).trim();
      expect(complete(['reckon', 'ev'])).toBe('evaluate');
      expect(complete(['reckon', 'data', 'con'])).toBe('convert');
      expect(complete(['reckon', 'evaluate', '--data', 'x.csv', '--re'])).toBe('--report');
      expect(complete(['reckon', 'completion', 'z'])).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('colour', () => {
  it('a command colours its table on a TTY, and not with NO_COLOR, TERM=dumb, a pipe or --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-colour-'));
    const had = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    const env = { NO_COLOR: process.env['NO_COLOR'], TERM: process.env['TERM'] };
    try {
      const baskets = join(dir, 'b.csv');
      writeFileSync(baskets, 'milk,bread\nmilk,eggs\nmilk,bread,eggs\n');
      const run = async (isTTY: boolean, extra: string[] = []) => {
        Object.defineProperty(process.stdout, 'isTTY', { value: isTTY, configurable: true });
        return runCli(['bought-together', '--baskets', baskets, '--item', 'milk', ...extra]);
      };
      delete process.env['NO_COLOR'];
      process.env['TERM'] = 'xterm-256color';
      const coloured = await run(true);
      expect(coloured).toContain('\x1b[1m');
      const plain = await run(false);
      expect(plain).not.toContain('\x1b');
      // eslint-disable-next-line no-control-regex
      expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
      expect(await run(true, ['--json'])).not.toContain('\x1b');
      process.env['NO_COLOR'] = '1';
      expect(await run(true)).toBe(plain);
      delete process.env['NO_COLOR'];
      process.env['TERM'] = 'dumb';
      expect(await run(true)).toBe(plain);
    } finally {
      if (had !== undefined) Object.defineProperty(process.stdout, 'isTTY', had);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is off for non-TTY streams and with NO_COLOR, and never changes the text', () => {
    expect(useColour({ isTTY: false })).toBe(false);
    const saved = process.env['NO_COLOR'];
    process.env['NO_COLOR'] = '1';
    try {
      expect(useColour({ isTTY: true })).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
    const plain = formatTable(['a', 'b'], [['x', 1]], false);
    const coloured = formatTable(['a', 'b'], [['x', 1]], true);
    expect(plain).not.toContain('\x1b');
    expect(coloured).toContain('\x1b[1m');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});
