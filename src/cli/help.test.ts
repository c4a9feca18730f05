import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashCompletion } from './commands/completion.js';
import { EXAMPLES, commandTree } from './help.js';
import { buildProgram } from './main.js';
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
      for (const o of c.options) (flags.get(o.long ?? o.short ?? '') ?? flags.set(o.long ?? o.short ?? '', []).get(o.long ?? o.short ?? '')!).push(`${path}: ${o.flags}`);
      for (const sub of c.commands) visit(sub, path);
    };
    for (const c of buildProgram().commands) visit(c, '');
    for (const f of flags.get('--k') ?? []) expect(f).toMatch(/: -k, --k <n>$/);
    expect((flags.get('--k') ?? []).length).toBeGreaterThanOrEqual(4);
    expect(flags.get('-k'), 'a bare -k without --k').toBeUndefined();
    for (const f of flags.get('--seed') ?? []) expect(f).toMatch(/: --seed <n>$/);
    for (const f of flags.get('--format') ?? []) expect(f).toMatch(/: --format <f(or)?m(a)?t>$/);
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
