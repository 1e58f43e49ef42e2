// The shared corpus of real scan files and its manifest of independent ground truth.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpus beside the repository (CI clones the repo with shared/ beside it). */
export const CORPUS_DIR = process.env.CUSP_CORPUS_DIR ?? fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export function corpusPath(relative: string): string {
  return join(CORPUS_DIR, relative);
}

export function corpusBytes(relative: string): Buffer {
  return readFileSync(corpusPath(relative));
}

export function hasCorpus(): boolean {
  return existsSync(join(CORPUS_DIR, 'MANIFEST.json'));
}
