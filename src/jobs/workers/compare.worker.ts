/**
 * The `compare` job: register the new scan onto the patient's previous scan of the same
 * jaw, measure the deviation both ways, and draw it — the number a dentist acts on and the
 * picture they look at.
 */
import { compareScans } from '../../mesh/analysis/index.js';
import { heatMapGlb, renderHeatMap } from '../../mesh/render/pictures.js';
import { CuspError } from '../../errors.js';
import { serializeFlatBvh } from '../../mesh/bvh/flat-bvh-cache.js';
import { ownBuffer, resultTransfer, type AnalysisResult } from '../artifact-result.js';
import { runWorker } from '../worker-runtime.js';
import { readInput } from './read-input.js';

runWorker<'compare'>(async (input, report) => {
  const previousInput = input.inputs?.previous;
  if (!previousInput) throw new CuspError('invalid_input', 'compare needs the previous scan');
  report(0, 'reading');
  const [current, previous] = [await readInput(input), await readInput(previousInput)];
  const comparison = compareScans(previous, current, {
    register: input.options.register !== false,
    previousBvh: input.buffers?.previousBvh ? new Uint8Array(input.buffers.previousBvh) : undefined,
    onProgress: (f, stage) => report(0.05 + 0.85 * f, stage),
  });
  report(0.9, 'pictures');
  const picture = renderHeatMap(comparison.current, comparison.distances, 'deviation');
  const glb = heatMapGlb(comparison.current, comparison.distances, 'deviation');
  report(1, 'done');
  const result: AnalysisResult = {
    reports: { comparison: { previous: input.options.previousUid ?? null, ...comparison.result } },
    artifacts: [
      { kind: 'heatmap:deviation', mediaType: 'image/png', bytes: ownBuffer(picture.png), meta: { previous: input.options.previousUid ?? null } },
      { kind: 'heatmap-glb:deviation', mediaType: 'model/gltf-binary', bytes: ownBuffer(glb), meta: { previous: input.options.previousUid ?? null } },
      // The distances behind those colours (float32 little-endian, one per vertex of the GLB,
      // NaN where there is no counterpart): the review page recolours them at any range.
      { kind: 'deviation:values', mediaType: 'application/octet-stream', bytes: ownBuffer(new Uint8Array(comparison.distances.buffer, comparison.distances.byteOffset, comparison.distances.byteLength)), meta: { previous: input.options.previousUid ?? null, encoding: 'float32le', vertices: comparison.distances.length } },
    ],
  };
  if (!comparison.treeFromCache) {
    // Cache the previous scan's tree with it, so the next comparison against it skips the build.
    result.artifacts.push({ kind: 'cache:bvh', mediaType: 'application/octet-stream', bytes: ownBuffer(serializeFlatBvh(comparison.previousTree)), meta: { forScan: 'previous', weld: 'exact' } });
  }
  return { result, transfer: resultTransfer(result) };
});
