/**
 * The `analyse` job: wall thickness of a printable model (profile `solid`) and, when the
 * opposing jaw of the same visit is there, the bite — clearance, contacts, penetrations.
 */
import { measureOcclusion, measureThickness } from '../../mesh/analysis/index.js';
import { renderHeatMap } from '../../mesh/render/pictures.js';
import { weldExact } from '../../mesh/weld.js';
import { ownBuffer, resultTransfer, type AnalysisResult } from '../artifact-result.js';
import { runWorker } from '../worker-runtime.js';
import { readInput } from './read-input.js';

runWorker<'analyse'>(async (input, report) => {
  report(0, 'reading');
  const mesh = await readInput(input);
  const result: AnalysisResult = { reports: {}, artifacts: [] };
  const opposing = input.inputs?.opposing;
  if (input.options.thickness) {
    const welded = weldExact(mesh).mesh;
    const t = measureThickness(welded, { limitMm: input.options.minWallMm ?? 0.5, onProgress: (f, s) => report(0.05 + (opposing ? 0.45 : 0.9) * f, s) });
    result.reports.thickness = { stats: t.stats, regions: t.regions };
    result.artifacts.push({ kind: 'heatmap:thickness', mediaType: 'image/png', bytes: ownBuffer(renderHeatMap(welded, t.thickness, 'thickness').png), meta: {} });
  }
  if (opposing) {
    const other = await readInput(opposing);
    const thisIsUpper = input.options.jaw === 'upper';
    const o = measureOcclusion(thisIsUpper ? mesh : other, thisIsUpper ? other : mesh, { onProgress: (f, s) => report(0.5 + 0.45 * f, s) });
    const mine = thisIsUpper ? o.upper : o.lower;
    const mineMesh = thisIsUpper ? o.upperMesh : o.lowerMesh;
    const look: [number, number, number] = thisIsUpper ? o.upperToLower : [-o.upperToLower[0], -o.upperToLower[1], -o.upperToLower[2]];
    result.reports.occlusion = {
      opposing: input.options.opposingUid ?? null, contactMm: o.contactMm,
      upper: { stats: o.upper.stats, contacts: o.upper.contacts }, lower: { stats: o.lower.stats, contacts: o.lower.contacts },
    };
    result.artifacts.push({ kind: 'heatmap:clearance', mediaType: 'image/png', bytes: ownBuffer(renderHeatMap(mineMesh, mine.clearance, 'clearance', { lookFrom: look }).png), meta: { opposing: input.options.opposingUid ?? null } });
  }
  report(1, 'done');
  return { result, transfer: resultTransfer(result) };
});
