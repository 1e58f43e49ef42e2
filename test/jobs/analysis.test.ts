// The analysis jobs through the real dispatcher and workers: pictures for every scan, a
// comparison with the patient's previous scan of the jaw, the bite when both jaws of a
// visit are in.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decode } from 'fast-png';
import type { Scan } from '../../src/store/scans.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { stack } from '../helpers/stack.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';

async function drop(s: ReturnType<typeof stack>, corpusFile: string, name: string): Promise<Scan> {
  copyFileSync(corpusPath(corpusFile), join(s.inbox, name));
  const outcome = await s.ingest.ingestFolderFile({ folder: s.folder, path: join(s.inbox, name), relativePath: name, firstSeenMs: Date.now() });
  assert.equal(outcome.kind, 'stored');
  return (outcome as { scans: Scan[] }).scans[0];
}

function analysed(s: ReturnType<typeof stack>, uid: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => s.store.scans.getByUid(uid)?.status === 'analysed';
    if (check()) return resolve();
    const off = s.bus.on('scan.analysed', (e) => {
      if (e.uid === uid) {
        off();
        resolve();
      }
    });
  });
}

test('a second scan of the same jaw is compared with the first; both get a thumbnail and a preview; the same tooth again moved ~0', { skip }, async (t) => {
  const s = stack(t);
  s.dispatcher.start();
  const first = await drop(s, 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl', 'Smith_John_2026-01-10_upper.stl');
  await analysed(s, first.uid);
  const second = await drop(s, 'dental/derived_tooth08_ascii.stl', 'Smith_John_2026-06-10_upper.stl');
  await analysed(s, second.uid);

  for (const scan of [first, second]) {
    const kinds = s.store.artifacts.forScan(scan.id).map((a) => a.kind);
    assert.ok(kinds.includes('thumbnail') && kinds.includes('preview'), `pictures for ${scan.uid}: ${kinds}`);
    const png = decode(s.store.blobs.get(s.store.artifacts.get(scan.id, 'thumbnail')!.blobHash)!);
    assert.equal(png.width, 256);
    const data = png.data as Uint8Array;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
    assert.ok(drawn > 256 * 256 * 0.05, 'the thumbnail shows the tooth');
  }
  assert.equal(s.store.reports.get(first.id, 'comparison'), undefined, 'the first scan has nothing to compare with');
  const comparison = s.store.reports.get<{ previous: string; stats: { rms: number; max: number }; overlap: number }>(second.id, 'comparison')!.body;
  assert.equal(comparison.previous, first.uid);
  assert.ok(comparison.stats.rms < 0.01, `unchanged tooth: RMS ${comparison.stats.rms} mm`);
  assert.ok(comparison.overlap > 0.95);
  const kinds = s.store.artifacts.forScan(second.id).map((a) => a.kind);
  assert.ok(kinds.includes('heatmap:deviation') && kinds.includes('heatmap-glb:deviation'));
  // The map on the new scan's preview, for the review page to show first: each of its points
  // keeps a distance measured on the full scan (no resampled values), one per preview vertex.
  assert.ok(kinds.includes('heatmap-glb:deviation-preview'));
  const floats = (kind: string) => {
    const b = s.store.blobs.get(s.store.artifacts.get(second.id, kind)!.blobHash)!;
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const full = floats('deviation:values');
  const light = floats('deviation:values-preview');
  assert.equal(light.length, s.store.artifacts.get(second.id, 'deviation:values-preview')!.meta.vertices);
  assert.ok(light.length > 0 && light.length <= full.length);
  const measured = new Set(full);
  assert.ok(light.every((v) => measured.has(v)), 'every preview value is one of the full map');
  const actions = dbOf(s.store).prepare("SELECT action FROM audit_events WHERE object = ? ORDER BY seq").all(`scan:${second.uid}`).map((r) => (r as { action: string }).action);
  assert.deepEqual(actions.slice(0, 2), ['scan.ingest', 'scan.validate']);
  assert.ok(actions.includes('scan.compare') && actions.includes('scan.derive'));
  assert.equal(s.verify().ok, true);

  // The first comparison built the earlier scan's BVH and cached it with that scan; a later
  // comparison against it uses the cache (and so caches nothing new).
  const cache = s.store.artifacts.get(first.id, 'cache:bvh');
  assert.ok(cache, 'the previous scan keeps its BVH');
  const again = s.store.jobs.enqueue('compare', second.id, { payload: { previous: first.id } });
  const done = new Promise<void>((resolve) => s.bus.on('job.finished', (e) => e.jobId === again.id && e.state === 'done' && resolve()));
  s.dispatcher.notify();
  await done;
  assert.equal(s.store.artifacts.get(first.id, 'cache:bvh')!.createdAt, cache.createdAt, 'the cached tree was used, not rebuilt and stored again');
  const rerun = s.store.reports.get<{ stats: { rms: number } }>(second.id, 'comparison')!.body;
  assert.ok(Math.abs(rerun.stats.rms - comparison.stats.rms) < 1e-9, 'the cached tree gives the same answer');
});

test('upper and lower of one visit: the bite is measured on the scan that completes the pair', { skip }, async (t) => {
  const s = stack(t);
  s.dispatcher.start();
  const upper = await drop(s, 'dental/openfulljaw_P26_maxilla_tooth14_molar.stl', 'Doe_Jane_2026-03-03_upper.stl');
  await analysed(s, upper.uid);
  const lower = await drop(s, 'dental/openfulljaw_P26_mandible_tooth19_molar.stl', 'Doe_Jane_2026-03-03_lower.stl');
  await analysed(s, lower.uid);
  const occlusion = s.store.reports.get<{ opposing: string; upper: { stats: { minClearanceMm: number } } }>(lower.id, 'occlusion')!.body;
  assert.equal(occlusion.opposing, upper.uid);
  assert.ok(Number.isFinite(occlusion.upper.stats.minClearanceMm));
  assert.ok(s.store.artifacts.get(lower.id, 'heatmap:clearance'));
});
