/**
 * `cusp compare OLD NEW`: lay a new scan of a jaw onto the previous one and say how far
 * every part of it moved — offline, on two files, with the same code the daemon runs.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import { startCompareSide, type CompareSide } from '../../src/jobs/compare-side.js';
import { readScanPath } from '../../src/jobs/scan-file.js';
import { compareScansWith, type CompareResult, type Comparison, type NewScanSide } from '../../src/mesh/analysis/compare.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import type { CommandIO, CommandRunner } from '../command.js';

export const compare: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        png: { type: 'string' },
        glb: { type: 'string' },
        'no-register': { type: 'boolean', default: false },
        config: { type: 'string' },
      },
    });
    if (positionals.length !== 2) throw new CuspError('bad_request', 'compare needs OLD and NEW — usage: cusp compare OLD NEW [--json] [--png FILE] [--glb FILE] [--no-register]');
    const [oldPath, newPath] = positionals;
    // The new scan is read, parsed, welded and prepared on a second thread while this one does
    // the old scan and the registration; then each measures one direction (compare-side.ts).
    const side = startCompareSide({ path: newPath });
    let comparison: Comparison;
    try {
      const previous = await readOldScan(oldPath, io);
      comparison = await compareScansWith(previous, checkedSide(side, newPath, io), { register: !values['no-register'] });
    } finally {
      await side.close();
    }
    const { result, current: aligned, distances } = comparison;
    if (values.png || values.glb) {
      // Loaded only when asked for: the renderer and the PNG and GLB writers are a start-up
      // cost a plain comparison does not need.
      const { heatMapGlb, renderHeatMap } = await import('../../src/mesh/render/pictures.js');
      if (values.png) writeOutput(values.png, renderHeatMap(aligned, distances, 'deviation').png);
      if (values.glb) writeOutput(values.glb, heatMapGlb(aligned, distances, 'deviation'));
    }
    io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : summary(oldPath, newPath, result));
    return 0;
  },
};

/** The old scan, read here (in shared memory: the side's back deviation reads its vertices). */
async function readOldScan(path: string, io: CommandIO): Promise<IndexedMesh> {
  const read = await readScanPath(path, true);
  return checked(path, read.mesh, read.warnings, io);
}

/** The side's new scan, its warnings told and checked as the old scan is here. */
function checkedSide(side: CompareSide, path: string, io: CommandIO): NewScanSide {
  return {
    welded: async () => checked(path, await side.welded(), await side.warnings(), io),
    measureBack: (request, onProgress) => side.measureBack(request, onProgress),
    helpRegister: (setup) => side.helpRegister(setup),
  };
}

function checked(path: string, mesh: IndexedMesh, warnings: string[], io: CommandIO): IndexedMesh {
  for (const warning of warnings) io.stderr.write(`warning: ${basename(path)}: ${warning}\n`);
  if (mesh.indices.length === 0) throw new CuspError('invalid_input', `${path} has no triangles to compare — export the scan as a mesh, not a point cloud`);
  return mesh;
}

function writeOutput(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new CuspError('invalid_input', `cannot write ${path}: ${why}`, { cause: err });
  }
}

/** The result as a clinician reads it. */
function summary(oldPath: string, newPath: string, r: CompareResult): string {
  const mm = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  const lines = [
    `${newPath} against ${oldPath}`,
    `  aligned: turned ${r.registration.rotationDeg.toFixed(2)}°, moved ${r.registration.shiftMm.toFixed(2)} mm; unchanged parts fit to ${r.residualMm.toFixed(3)} mm RMS (${r.iterations} ICP iterations)`,
    `  overlap: ${(100 * r.overlap).toFixed(1)}% of the new scan lies on the old one (${(100 * r.back.overlap).toFixed(1)}% of the old on the new)`,
    `  not compared (no counterpart on the other scan, grey on the map): ${r.stats.nonOverlapArea.toFixed(1)} mm² of the new scan, ${r.back.stats.nonOverlapArea.toFixed(1)} mm² of the old`,
    `  deviation: mean ${mm(r.stats.mean)} mm, RMS ${r.stats.rms.toFixed(3)} mm, 95% within ${r.stats.p95.toFixed(3)} mm, largest ${r.stats.max.toFixed(3)} mm (out ${mm(r.stats.maxOut)}, in ${mm(r.stats.maxIn)})`,
    `  moved more than ${Object.entries(r.stats.areaOver).map(([t, a]) => `${t} mm: ${a.toFixed(1)} mm²`).join(' · ')}`,
  ];
  for (const warning of r.warnings) lines.push(`  warning: ${warning}`);
  if (r.regions.length === 0) lines.push('  no region moved more than 0.1 mm');
  r.regions.forEach((g, i) => {
    const at = g.centroid.map((c) => c.toFixed(1)).join(', ');
    lines.push(`  ${i + 1}. ${g.sign > 0 ? 'outward' : 'inward'} ${g.areaMm2.toFixed(1)} mm², peak ${mm(g.maxMm)} mm, mean ${mm(g.meanMm)} mm, at (${at})`);
  });
  return `${lines.join('\n')}\n`;
}
