import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeEmptyFolders, removeIfStored, restoreInterrupted, type StoredState } from '../../src/ingest/remove-original.js';
import { tempDir } from '../helpers/temp.js';

// Whole seconds survive utimes exactly: a rewrite can keep the very mtime that was read.
const MTIME = 1_700_000_000;

function drop(dir: string, name: string, bytes: Uint8Array): { path: string; state: StoredState } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  utimesSync(path, MTIME, MTIME);
  const st = statSync(path);
  return { path, state: { sha256: createHash('sha256').update(bytes).digest('hex'), size: st.size, mtimeMs: st.mtimeMs } };
}

const BYTES = new TextEncoder().encode('solid tooth\nendsolid tooth\n');

test('a file that is exactly the stored bytes is deleted', (t) => {
  const dir = tempDir(t);
  const f = drop(dir, 'upper.stl', BYTES);
  return removeIfStored(f.path, f.state, { kind: 'delete' }).then((r) => {
    assert.equal(r.kind, 'removed');
    assert.deepEqual(readdirSync(dir), []);
  });
});

for (const [what, change] of [
  ['its size changed (appended)', (p: string) => appendFileSync(p, 'more')],
  ['only its mtime changed', (p: string) => utimesSync(p, MTIME + 5, MTIME + 5)],
  ['only its bytes changed (same size, same mtime)', (p: string) => {
    writeFileSync(p, new TextEncoder().encode('solid TOOTH\nendsolid TOOTH\n'));
    utimesSync(p, MTIME, MTIME);
  }],
] as const) {
  for (const how of ['delete', 'archive'] as const) {
    test(`removal is refused when ${what} after the read (${how})`, async (t) => {
      const dir = tempDir(t);
      const inbox = join(dir, 'inbox');
      mkdirSync(inbox);
      const f = drop(inbox, 'upper.stl', BYTES);
      change(f.path);
      const now = readFileSync(f.path);
      const r = await removeIfStored(f.path, f.state, how === 'delete' ? { kind: 'delete' } : { kind: 'archive', to: join(dir, 'archive', 'upper.stl') });
      assert.equal(r.kind, 'changed');
      assert.equal((r as { path: string }).path, f.path, 'put back under its own name');
      assert.deepEqual(readFileSync(f.path), now, 'the changed bytes are all still there');
      assert.deepEqual(readdirSync(inbox), ['upper.stl'], 'no hidden leftovers');
      assert.equal(existsSync(join(dir, 'archive', 'upper.stl')), false, 'nothing archived');
    });
  }
}

test('archive moves the verified file under its relative name, never over another', async (t) => {
  const dir = tempDir(t);
  const f = drop(dir, 'upper.stl', BYTES);
  mkdirSync(join(dir, 'archive'));
  writeFileSync(join(dir, 'archive', 'upper.stl'), 'an older archived file');
  const r = await removeIfStored(f.path, f.state, { kind: 'archive', to: join(dir, 'archive', 'upper.stl') });
  assert.equal(r.kind, 'archived');
  assert.equal((r as { to: string }).to, join(dir, 'archive', 'upper (2).stl'));
  assert.deepEqual(readFileSync(join(dir, 'archive', 'upper (2).stl')), Buffer.from(BYTES));
  assert.equal(readFileSync(join(dir, 'archive', 'upper.stl'), 'utf8'), 'an older archived file');
  assert.equal(existsSync(f.path), false);
});

test('a file a crash left under the hidden removal name is put back under its name', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'case'));
  writeFileSync(join(dir, 'case', '.cusp-removing-0a1b2c3d-upper.stl'), BYTES);
  writeFileSync(join(dir, 'case', 'upper.stl'), 'a new file took the name');
  assert.equal(await restoreInterrupted(dir), 1);
  assert.deepEqual(readdirSync(join(dir, 'case')).sort(), ['upper (2).stl', 'upper.stl']);
  assert.deepEqual(readFileSync(join(dir, 'case', 'upper (2).stl')), Buffer.from(BYTES));
});

test('emptied case folders are removed up to, never including, the watched folder; a folder holding anything stays', async (t) => {
  const root = tempDir(t);
  mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
  writeFileSync(join(root, 'a', 'keep.txt'), 'x');
  const removed = await removeEmptyFolders(root, join(root, 'a', 'b', 'c'));
  assert.deepEqual(removed, [join(root, 'a', 'b', 'c'), join(root, 'a', 'b')]);
  assert.ok(existsSync(join(root, 'a', 'keep.txt')));
  renameSync(join(root, 'a', 'keep.txt'), join(root, 'keep.txt'));
  await removeEmptyFolders(root, join(root, 'a'));
  assert.equal(existsSync(join(root, 'a')), false);
  assert.ok(existsSync(root), 'the watched folder itself stays');
  assert.deepEqual(await removeEmptyFolders(root, root), []);
});

test('archive to another disk: the copy is checked, then the original goes; a changed file is not copied at all', async (t) => {
  const dir = tempDir(t);
  const disk = join(dir, 'other-disk');
  mkdirSync(disk);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]);
  if (mounted.status !== 0) {
    t.skip(`cannot mount a tmpfs here (needs root): ${mounted.stderr.toString().trim()}`);
    return;
  }
  // Unmounted here, before the temp folder holding the mount point is removed.
  try {
    const f = drop(dir, 'upper.stl', BYTES);
    const r = await removeIfStored(f.path, f.state, { kind: 'archive', to: join(disk, 'inbox', 'upper.stl') });
    assert.equal(r.kind, 'archived');
    assert.deepEqual(readFileSync(join(disk, 'inbox', 'upper.stl')), Buffer.from(BYTES));
    assert.equal(existsSync(f.path), false);
    assert.deepEqual(readdirSync(dir).sort(), ['other-disk'], 'no hidden leftovers');

    const g = drop(dir, 'lower.stl', BYTES);
    appendFileSync(g.path, 'more');
    const r2 = await removeIfStored(g.path, g.state, { kind: 'archive', to: join(disk, 'inbox', 'lower.stl') });
    assert.equal(r2.kind, 'changed');
    assert.equal(existsSync(join(disk, 'inbox', 'lower.stl')), false);
    assert.ok(existsSync(g.path));
  } finally {
    spawnSync('umount', [disk]);
  }
});
