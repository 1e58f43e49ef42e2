// Mesh checks at scan sizes: closed tooth-like meshes of 100k, 500k, 1M and 2M triangles and
// a 1M one with injected defects, written as binary STL in a temp folder. For each file:
//   read       readFileSync of the file (the reference every other figure is a ratio of)
//   checks     readFileSync + parse + weld + every check but self-intersection (inspectMesh)
//   welded     the same, the STL read and welded in one pass as the commands read it
//              (src/jobs/scan-file.ts, stl-binary-welded.ts)
//   self-int.  BVH build + self-intersection test on the welded mesh
//   peak       peak memory the whole pipeline adds in a process that has run it once on a small mesh (as a warm worker), as a multiple of the file size
//   admesh     Debian's admesh on the same file (its default checks), when installed
//   open3d     Open3D's watertight/manifold/self-intersection checks, only at 100k (all-pairs)
// Targets at 1M: checks < 400 ms (admesh ~590 ms), self-intersection < 0.9 s (CGAL 1.12 s),
// peak memory < 8x the file size. Figures are the best of 3-5 runs after two warm-up runs; the
// machine is shared and noisy, so the load average is printed with the table.
// Run: npm run bench -- mesh-check [sizes in thousands…] (times the build in dist/ on plain node, see run.ts)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSelfIntersections } from '../../src/mesh/bvh/self-intersections.js';
import { readStlFileWelded } from '../../src/jobs/stl-file.js';
import { readMeshSync } from '../../src/mesh/read/index.js';
import { inspectMesh } from '../../src/mesh/report/index.js';
import { weldExact } from '../../src/mesh/weld.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { commandMs } from './command-time.js';
import { injectDefects } from './generate-defects.js';
import { generateToothMesh } from './generate-mesh.js';
import { peakBytes } from './peak-memory.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const self = fileURLToPath(import.meta.url);

/**
 * The whole pipeline once, in this process; prints the peak memory it added, in bytes. As in
 * a warm job worker, the code has run once before (on a 2k-triangle mesh) and the peak is
 * reset after it: what is left is what the scan costs, not V8 compiling and growing its
 * heap for the first time (~30 MB, most of the figure at 100k triangles).
 */
function peakChild(file: string): void {
  inspectMesh(readMeshSync({ bytes: writeStlBinary(generateToothMesh(2_000, 3)), name: 'warm-up.stl' }).mesh, { profile: 'scan' });
  gc();
  writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := current RSS
  const before = process.memoryUsage().rss;
  const bytes = readFileSync(file);
  const { mesh } = readMeshSync({ bytes, name: basename(file) });
  inspectMesh(mesh, { profile: 'scan' });
  process.stdout.write(JSON.stringify({ peak: peakBytes() - before }));
}

// Best of n: on a shared 2-core machine other work only ever adds time, so the minimum is
// the steadiest estimate of what the code costs (used alike for our figures and admesh's).
function best(xs: number[]): number {
  return Math.min(...xs);
}

/** Best of `runs` timed runs after untimed warm-up runs (so the JIT has compiled the code). */
function time(runs: number, fn: () => void): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return best(times);
}

function admeshMs(file: string, runs: number): number | null {
  if (spawnSync('admesh', ['--version']).error) return null;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ms = commandMs('admesh', [file]);
    if (ms === undefined) return null;
    times.push(ms);
  }
  return best(times);
}

const OPEN3D = `
import sys, time, open3d as o3d
m = o3d.io.read_triangle_mesh(sys.argv[1], enable_post_processing=False)
t = time.perf_counter()
m.remove_duplicated_vertices()
m.is_edge_manifold(); m.is_vertex_manifold(); m.is_watertight(); m.is_orientable(); m.is_self_intersecting()
print((time.perf_counter() - t) * 1000)
`;

function open3dMs(file: string): number | null {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, ['-c', OPEN3D, file], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return Number(r.stdout.trim().split('\n').pop());
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const thousands = sizes.length > 0 ? sizes : [100, 500, 1000, 2000];
  const dir = mkdtempSync(join(tmpdir(), 'cusp-mesh-bench-'));
  const rows: string[][] = [];
  const notes: string[] = [];
  let hasAdmesh = true;
  let hasOpen3d = true;
  try {
    const cases: { label: string; file: string; triangles: number }[] = [];
    for (const k of thousands) {
      const mesh = generateToothMesh(k * 1000, 1);
      const file = join(dir, `tooth-${k}k.stl`);
      writeFileSync(file, writeStlBinary(mesh));
      cases.push({ label: `${k}k closed`, file, triangles: mesh.indices.length / 3 });
      if (k === 1000) {
        const broken = injectDefects(mesh, 7).mesh;
        const defects = join(dir, `tooth-${k}k-defects.stl`);
        writeFileSync(defects, writeStlBinary(broken));
        cases.push({ label: `${k}k defects`, file: defects, triangles: broken.indices.length / 3 });
      }
    }

    for (const c of cases) {
      const runs = c.triangles > 1_200_000 ? 3 : 5;
      const size = statSync(c.file).size;
      const readMs = time(runs, () => readFileSync(c.file));
      let verdict = '';
      const checkMs = time(runs, () => {
        const { mesh } = readMeshSync({ bytes: readFileSync(c.file), name: basename(c.file) });
        verdict = inspectMesh(mesh, { profile: 'scan', selfIntersection: false }).verdict;
      });
      const weldedMs = time(runs, () => {
        const read = readStlFileWelded(c.file, basename(c.file));
        if (!read) throw new Error(`${c.file} was not read as a plain binary STL`);
        if (inspectMesh(read.mesh, { profile: 'scan', selfIntersection: false }).verdict !== verdict) throw new Error('the welded read changed the verdict');
      });
      const welded = weldExact(readMeshSync({ bytes: readFileSync(c.file), name: basename(c.file) }).mesh).mesh;
      let pairs = 0;
      const siMs = time(runs, () => {
        pairs = findSelfIntersections(welded).count;
      });
      const child = spawnSync(process.execPath, [...process.execArgv, self, '--peak', c.file], { encoding: 'utf8' });
      const peak = child.status === 0 ? (JSON.parse(child.stdout) as { peak: number }).peak : NaN;
      const admesh = hasAdmesh ? admeshMs(c.file, 3) : null;
      if (admesh === null) hasAdmesh = false;
      const open3d = hasOpen3d && c.triangles <= 150_000 ? open3dMs(c.file) : null;
      if (c.triangles <= 150_000 && open3d === null) hasOpen3d = false;
      rows.push([
        c.label,
        (size / 2 ** 20).toFixed(1),
        readMs.toFixed(0),
        `${checkMs.toFixed(0)} (${(checkMs / readMs).toFixed(1)}x)`,
        `${weldedMs.toFixed(0)} (${(weldedMs / readMs).toFixed(1)}x)`,
        `${siMs.toFixed(0)} (${pairs})`,
        `${(peak / 2 ** 20).toFixed(0)} (${(peak / size).toFixed(1)}x)`,
        admesh === null ? '-' : `${admesh.toFixed(0)} (${(checkMs / admesh).toFixed(2)}x)`,
        open3d === null ? '-' : `${open3d.toFixed(0)} (${((checkMs + siMs) / open3d).toFixed(3)}x)`,
        verdict,
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!hasAdmesh) notes.push('admesh not installed (apt-get install -y admesh): column skipped');
  if (!hasOpen3d) notes.push('Open3D not installed (apt-get install -y python3-open3d): column skipped');

  const header = ['mesh', 'MiB', 'read ms', 'checks ms (x read)', 'welded-read checks ms (x read)', 'self-int. ms (pairs)', 'peak MiB (x file)', 'admesh ms (checks/admesh)', 'open3d ms (ours/open3d)', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const n of notes) console.log(`note: ${n}`);
  console.log('targets at 1M: checks < 400 ms, self-intersection < 900 ms, peak < 8x file');
  console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores, shared)`);
}

if (process.argv[2] === '--peak') peakChild(process.argv[3]);
else main();
