// The corpus of real scan files and its manifest of independent ground truth, kept in the
// repository (test/fixtures/corpus/, sources and licences in its LICENSES.md) so that a
// clone anywhere runs the whole suite.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/corpus/ in this repository; CUSP_CORPUS_DIR points the tests at another copy. */
export const CORPUS_DIR = process.env.CUSP_CORPUS_DIR || fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

/** The absolute path of a corpus file, given its path relative to the corpus root. */
export function corpusPath(relative: string): string {
  return join(CORPUS_DIR, relative);
}

/** A corpus file's bytes. */
export function corpusBytes(relative: string): Buffer {
  return readFileSync(corpusPath(relative));
}

/** Whether the corpus is there (it always is in a checkout; a stripped copy may lack it). */
export function hasCorpus(): boolean {
  return existsSync(join(CORPUS_DIR, 'MANIFEST.json'));
}
