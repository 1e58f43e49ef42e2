/**
 * The `derive` job: what a viewer and the console show of every scan — a thumbnail from a
 * sensible view (occlusal for jaws) and a decimated preview GLB (bounded error) for
 * viewers on slow machines.
 */
import { decimate } from '../../mesh/decimate.js';
import { renderThumbnail } from '../../mesh/render/pictures.js';
import { weldExact } from '../../mesh/weld.js';
import { writeMesh } from '../../mesh/write/index.js';
import { ownBuffer, resultTransfer, type AnalysisResult } from '../artifact-result.js';
import { runWorker } from '../worker-runtime.js';
import { readInput } from './read-input.js';

runWorker<'derive'>(async (input, report) => {
  report(0, 'reading');
  const mesh = weldExact(await readInput(input)).mesh;
  report(0.3, 'thumbnail');
  const thumb = renderThumbnail(mesh, { width: 256, height: 256, view: 'auto' });
  report(0.5, 'preview');
  const maxTriangles = input.options.previewTriangles ?? 100_000;
  const preview = await decimate(mesh, { maxTriangles, maxErrorMm: input.options.previewErrorMm ?? 0.05 });
  const glb = writeMesh(preview.mesh, 'glb');
  report(1, 'done');
  const result: AnalysisResult = {
    reports: {
      preview: { triangles: preview.triangles, sourceTriangles: mesh.indices.length / 3, errorMm: preview.errorMm },
    },
    artifacts: [
      { kind: 'thumbnail', mediaType: 'image/png', bytes: ownBuffer(thumb.png), meta: { width: thumb.image.width, height: thumb.image.height } },
      { kind: 'preview', mediaType: 'model/gltf-binary', bytes: ownBuffer(glb), meta: { triangles: preview.triangles, errorMm: preview.errorMm } },
    ],
  };
  return { result, transfer: resultTransfer(result) };
});
