/**
 * The `compare` job: register the new scan onto the patient's previous scan of the same
 * jaw, measure the deviation both ways, and draw it — the number a dentist acts on and the
 * picture they look at.
 */
import { workerData } from 'node:worker_threads';
import { compareScans, compareScansWith, type Comparison } from '../../mesh/analysis/index.js';
import { decimate } from '../../mesh/decimate.js';
import { heatMapGlb, renderHeatMap } from '../../mesh/render/pictures.js';
import { CuspError } from '../../errors.js';
import { serializeFlatBvh } from '../../mesh/bvh/flat-bvh-cache.js';
import { PRIORITY_KEY, type JobPriority } from '../../os/thread-priority.js';
import { ownBuffer, resultTransfer, type AnalysisResult } from '../artifact-result.js';
import { canStartCompareSide, startCompareSide } from '../compare-side.js';
import { runWorker } from '../worker-runtime.js';
import { readInput } from './read-input.js';

runWorker<'compare'>(async (input, report) => {
  const previousInput = input.inputs?.previous;
  if (!previousInput) throw new CuspError('invalid_input', 'compare needs the previous scan');
  report(0, 'reading');
  // The new scan is read, welded and prepared on a second thread while this one does the old
  // scan and the registration; then each measures one direction (compare-side.ts).
  const options = {
    register: input.options.register !== false,
    previousBvh: input.buffers?.previousBvh ? new Uint8Array(input.buffers.previousBvh) : undefined,
    onProgress: (f: number, stage: string) => report(0.05 + 0.85 * f, stage),
  };
  let comparison: Comparison;
  if (!canStartCompareSide()) {
    comparison = compareScans(await readInput(previousInput), await readInput(input), options);
  } else {
    const side = startCompareSide({ name: input.name, bytes: input.bytes, siblings: input.siblings }, { priority: jobPriority() });
    try {
      comparison = await compareScansWith(await readInput(previousInput), side, options);
    } finally {
      await side.close();
    }
  }
  report(0.9, 'pictures');
  const picture = renderHeatMap(comparison.current, comparison.distances, 'deviation');
  const glb = heatMapGlb(comparison.current, comparison.distances, 'deviation');
  // The same map on a preview of the new scan (the budget and error bound of the scan's own
  // preview, see derive.worker.ts): what the review page shows first. At 1M triangles the
  // full map is 27 MiB that took seconds to fetch and parse; the preview's is ~2 MiB. The
  // simplifier keeps vertices where they are, so each keeps its own measured distance (NaN,
  // grey, where there is no counterpart) — no resampling.
  report(0.95, 'preview map');
  const preview = await decimate(comparison.current);
  const previewValues = new Float32Array(preview.sourceVertices.length);
  for (let v = 0; v < previewValues.length; v++) previewValues[v] = comparison.distances[preview.sourceVertices[v]];
  const previewGlb = heatMapGlb(preview.mesh, previewValues, 'deviation');
  report(1, 'done');
  const result: AnalysisResult = {
    reports: { comparison: { previous: input.options.previousUid ?? null, ...comparison.result } },
    artifacts: [
      { kind: 'heatmap:deviation', mediaType: 'image/png', bytes: ownBuffer(picture.png), meta: { previous: input.options.previousUid ?? null } },
      { kind: 'heatmap-glb:deviation', mediaType: 'model/gltf-binary', bytes: ownBuffer(glb), meta: { previous: input.options.previousUid ?? null } },
      // The distances behind those colours (float32 little-endian, one per vertex of the GLB,
      // NaN where there is no counterpart): the review page recolours them at any range.
      { kind: 'deviation:values', mediaType: 'application/octet-stream', bytes: ownBuffer(new Uint8Array(comparison.distances.buffer, comparison.distances.byteOffset, comparison.distances.byteLength)), meta: { previous: input.options.previousUid ?? null, encoding: 'float32le', vertices: comparison.distances.length } },
      { kind: 'heatmap-glb:deviation-preview', mediaType: 'model/gltf-binary', bytes: ownBuffer(previewGlb), meta: { previous: input.options.previousUid ?? null, triangles: preview.triangles, errorMm: preview.errorMm } },
      { kind: 'deviation:values-preview', mediaType: 'application/octet-stream', bytes: ownBuffer(new Uint8Array(previewValues.buffer)), meta: { previous: input.options.previousUid ?? null, encoding: 'float32le', vertices: previewValues.length } },
    ],
  };
  if (!comparison.treeFromCache) {
    // Cache the previous scan's tree with it, so the next comparison against it skips the build.
    result.artifacts.push({ kind: 'cache:bvh', mediaType: 'application/octet-stream', bytes: ownBuffer(serializeFlatBvh(comparison.previousTree)), meta: { forScan: 'previous', weld: 'exact' } });
  }
  return { result, transfer: resultTransfer(result) };
});

/** This job thread's priority, for its second thread too (as runWorker reads it). */
function jobPriority(): JobPriority {
  return ((workerData as Record<string, unknown> | undefined)?.[PRIORITY_KEY] as JobPriority | undefined) ?? 'idle';
}
