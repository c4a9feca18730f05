import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder for a test file set; `write` returns the path; `cleanup` removes everything. (Test support only.) */
export function tempFiles(): { dir: string; write(name: string, content: string | Uint8Array): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-data-'));
  return {
    dir,
    write(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Folder of the committed hand-made fixtures. */
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
