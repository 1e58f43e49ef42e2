/**
 * `cusp inspect --analyse`: the analyses of one mesh on top of its checks — for now the
 * wall thickness (for printed models and appliances: where is the wall thinner than the
 * printer or the material allows). Kept apart from inspect.ts, which loads it only for
 * `--analyse`: the analyses need three-mesh-bvh, the checks do not.
 */
import { CuspError } from '../../src/errors.js';
import type { Region } from '../../src/mesh/analysis/regions.js';
import { measureThickness, type ThicknessStats } from '../../src/mesh/analysis/thickness.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { weldExact } from '../../src/mesh/weld.js';

/** What `--analyse` adds to a file's JSON entry, under `analysis`. */
export interface MeshAnalysis {
  thickness: ThicknessStats;
  /** Connected thin patches, largest first; `maxMm` is each one's thinnest wall. */
  thinRegions: Region[];
}

/** Measure `mesh`; returns the JSON entry and the lines for the readable report. */
export function analyseMesh(mesh: IndexedMesh, minWall: string | undefined): { json: MeshAnalysis; lines: string[] } {
  const limitMm = Number(minWall ?? '0.5');
  if (!(limitMm > 0) || !Number.isFinite(limitMm)) throw new CuspError('bad_request', `--min-wall takes a positive number of mm, not '${minWall}'`);
  const { stats, regions } = measureThickness(weldExact(mesh).mesh, { limitMm });
  const lines: string[] = [];
  if (stats.measuredAreaMm2 === 0) {
    lines.push('  thickness: no wall found (an open surface, or faces turned inward)');
  } else {
    const partial = stats.measuredFraction < 0.99 ? ` (measured on ${(100 * stats.measuredFraction).toFixed(0)}% of the surface)` : '';
    lines.push(`  thickness: thinnest ${stats.minMm.toFixed(2)} mm, 5% under ${stats.p5Mm.toFixed(2)} mm, mean ${stats.meanMm.toFixed(2)} mm${partial}`);
    lines.push(`  thinner than ${limitMm} mm: ${stats.thinAreaMm2.toFixed(1)} mm² in ${regions.length} ${regions.length === 1 ? 'patch' : 'patches'}`);
    regions.slice(0, 5).forEach((r, i) => {
      lines.push(`    ${i + 1}. ${r.areaMm2.toFixed(1)} mm², thinnest ${r.maxMm.toFixed(2)} mm, at (${r.centroid.map((c) => c.toFixed(1)).join(', ')})`);
    });
  }
  return { json: { thickness: stats, thinRegions: regions }, lines };
}
