// The corpus lives in the repository: every file its manifest names is here, byte for byte,
// and nothing the tests or CI run reaches outside the checkout (a clone anywhere must pass).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpusBytes, corpusPath } from './helpers/corpus.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Entry { file: string; size_bytes: number; sha256: string; license: string | null }

test('every file of the corpus manifest is in test/fixtures/corpus with its recorded SHA-256 and a licence line', () => {
  const manifest = JSON.parse(readFileSync(corpusPath('MANIFEST.json'), 'utf8')) as { file_count: number; files: Entry[] };
  const licences = readFileSync(corpusPath('LICENSES.md'), 'utf8');
  assert.equal(manifest.files.length, manifest.file_count);
  const wrong: string[] = [];
  for (const entry of manifest.files) {
    const bytes = corpusBytes(entry.file);
    if (bytes.length !== entry.size_bytes || createHash('sha256').update(bytes).digest('hex') !== entry.sha256) wrong.push(entry.file);
    if (!licences.includes(`\`${entry.file}\``)) wrong.push(`${entry.file} (no line in LICENSES.md)`);
  }
  assert.deepEqual(wrong, []);
});

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'fixtures' || e.name === 'out') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? filesBelow(path) : [path];
  });
}

test('no test, CI or installer script refers to a folder outside the repository', () => {
  // What the tests once used: ../shared/corpus beside the checkout, and this machine's paths.
  const outside = /\.\.\/shared\b|\/work\/(shared|wt|main)\b/;
  const places = ['test', '.ci', 'installers', 'scripts'].map((p) => join(root, p)).filter((p) => existsSync(p));
  const hits: string[] = [];
  for (const file of places.flatMap(filesBelow)) {
    if (!/\.(m?[jt]sx?|sh|json|ya?ml)$|\/run$/.test(file) || file.endsWith('corpus-fixtures.test.ts')) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (outside.test(line)) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});
