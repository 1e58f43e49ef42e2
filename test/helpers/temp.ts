// Temp folders for tests, removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** A fresh temp folder that is removed after the test (see `removeTempDir`). */
export function tempDir(t: TestContext, prefix = 'cusp-test-'): string {
  const dir = makeTempDir(prefix);
  t.after(() => removeTempDir(dir));
  return dir;
}

/** A fresh temp folder that the caller removes with `removeTempDir`. */
export function makeTempDir(prefix = 'cusp-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Remove a temp folder. node:test runs a test's `after` hooks in the order they were added,
 * so a folder made first is removed before the hooks that stop what writes into it; a file
 * written between the listing and the removal made it fail (ENOTEMPTY). Tried a few times,
 * then once more when the process exits.
 */
export function removeTempDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  } catch {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
}
