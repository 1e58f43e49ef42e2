import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { isMap, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { checkConfig, configFileSchema } from '../../src/config/index.js';
import { leaves } from '../../src/config/schema-walk.js';

const examplePath = fileURLToPath(new URL('../../config/cusp.example.yaml', import.meta.url));
const text = readFileSync(examplePath, 'utf8');
const lineCounter = new LineCounter();
const doc = parseDocument(text, { lineCounter });
const textLines = text.split('\n');

/** Every key path of the schema, sections included; `[]` stands for "the first list element". */
function schemaKeyPaths(): string[][] {
  const out = new Map<string, string[]>();
  for (const leaf of leaves(configFileSchema)) {
    for (let n = 1; n <= leaf.path.length; n++) {
      const prefix = leaf.path.slice(0, n);
      if (prefix[prefix.length - 1] !== '[]') out.set(prefix.join('.'), prefix);
    }
  }
  return [...out.values()];
}

/** The YAML pair at a key path (first list element for `[]`), or undefined. */
function pairAt(path: string[]): Pair<Node, unknown> | undefined {
  let node: unknown = doc.contents;
  let pair: Pair<Node, unknown> | undefined;
  for (const key of path) {
    if (key === '[]') {
      node = isSeq(node) ? node.items[0] : undefined;
      continue;
    }
    if (!isMap(node)) return undefined;
    pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key) as Pair<Node, unknown> | undefined;
    if (!pair) return undefined;
    node = pair.value;
  }
  return pair;
}

describe('config/cusp.example.yaml', () => {
  it('is a valid config without warnings', () => {
    const result = checkConfig({ flag: examplePath, env: {}, cwd: tmpdir(), etcPath: '/nonexistent' });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.loaded?.config.folders.length, 2);
  });

  it('shows every key of the schema', () => {
    const missing = schemaKeyPaths().filter((path) => !pairAt(path)).map((p) => p.join('.'));
    assert.deepEqual(missing, []);
  });

  it('explains every key with a comment on its line or just above it', () => {
    const bare = schemaKeyPaths().filter((path) => {
      const key = pairAt(path)?.key as { range?: [number, number, number] } | undefined;
      assert.ok(key?.range, path.join('.'));
      const line = lineCounter.linePos(key.range[0]).line;
      return !textLines[line - 1].includes(' #') && !textLines[line - 2]?.trim().includes('#');
    });
    assert.deepEqual(bare.map((p) => p.join('.')), []);
  });
});
