/**
 * Where a job's worker script is. Workers run compiled JavaScript (bree starts them as
 * files; tsx does not reach worker threads on Node 20), so when Cusp itself runs from
 * TypeScript sources — tests, `tsx` — the workers come from the build in `dist/`.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CuspError } from '../errors.js';

const HERE = fileURLToPath(new URL('./workers/', import.meta.url));

/** The folder holding `*.worker.js`. */
export function defaultWorkerDir(): string {
  if (import.meta.url.endsWith('.ts')) {
    const marker = `${sep}src${sep}jobs${sep}workers${sep}`;
    const root = HERE.slice(0, HERE.lastIndexOf(marker));
    return join(root, 'dist', 'src', 'jobs', 'workers');
  }
  return HERE;
}

export function workerFile(dir: string, name: string): string {
  const file = join(dir, `${name}.worker.js`);
  if (!existsSync(file)) {
    throw new CuspError('internal', `worker script ${file} is missing — run 'npm run build'`);
  }
  return file;
}
