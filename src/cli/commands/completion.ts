import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { commandTree } from '../help.js';

/** A bash completion script: commands at the first word, each command's long options after it. */
export function bashCompletion(program: Command): string {
  const tree = commandTree(program);
  const top = tree.filter((t) => !t.path.includes(' ')).map((t) => t.path);
  const cases = tree
    .map((t) => {
      const subs = tree.filter((s) => s.path.startsWith(`${t.path} `) && s.path.split(' ').length === t.path.split(' ').length + 1).map((s) => s.path.split(' ').pop()!);
      return `    "${t.path}") words="${[...subs, ...t.options].join(' ')}" ;;`;
    })
    .join('\n');
  return `# reckon bash completion: add to ~/.bashrc with  eval "$(reckon completion bash)"
_reckon_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w words
  local known="|${tree.map((t) => t.path).join('|')}|" cand
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    if [ -z "$path" ]; then cand="$w"; else cand="$path $w"; fi
    if [[ "$known" == *"|$cand|"* ]]; then path="$cand"; fi
  done
  case "$path" in
    "") words="${top.join(' ')} --help --version" ;;
${cases}
    *) words="" ;;
  esac
  if [ -z "$words" ]; then COMPREPLY=( $(compgen -f -- "$cur") ); else COMPREPLY=( $(compgen -W "$words" -- "$cur") $(compgen -f -- "$cur") ); fi
}
complete -F _reckon_complete reckon
`;
}

/** A zsh completion script (bash-compatible completion through bashcompinit). */
export function zshCompletion(program: Command): string {
  return `#compdef reckon
# reckon zsh completion: eval "$(reckon completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

/** `reckon completion bash|zsh`: prints a shell completion script. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash or zsh)')
    .argument('<shell>', 'bash | zsh')
    .action((shell: string) => {
      if (shell === 'bash') process.stdout.write(bashCompletion(program));
      else if (shell === 'zsh') process.stdout.write(zshCompletion(program));
      else throw new InvalidArgumentError(`completion: unknown shell "${shell}"; expected bash or zsh`, { shell });
    });
}
