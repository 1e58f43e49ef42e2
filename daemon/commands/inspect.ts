import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, isAbsolute, normalize, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { CuspError, isCuspError } from '../../src/errors.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import type { ReadResult } from '../../src/mesh/read/index.js';
import { readStlFileWelded } from '../../src/jobs/stl-file.js';
import { groupDigits } from '../../src/mesh/report/digits.js';
import { findSelfIntersections } from '../../src/mesh/bvh/self-intersections.js';
import { inspectMesh, inspectMeshWith, type MeshReport, type Profile } from '../../src/mesh/report/index.js';
import { useSharedScratch } from '../../src/mesh/report/scratch.js';
import { startSelfIntersectionSide, type SelfIntersectionSide } from '../../src/jobs/self-intersection-side.js';
import type { CommandIO, CommandRunner } from '../command.js';
import { inputFileBytes } from '../huge-pages.js';

const PROFILES: readonly Profile[] = ['scan', 'solid'];

/**
 * Input from which the self-intersection test's second thread pays for its start (about
 * 0.1 s here): measured with and without it, 4 runs each, a 33k-triangle molar took
 * 0.40–0.42 s against 0.32–0.34 s, 100k triangles 0.50–0.53 against 0.41–0.43, 200k
 * 0.54–0.58 against 0.54–0.56, 400k 0.77–0.85 against 0.80–0.87 (binary STL, 50 bytes a
 * triangle: 10 MB is 210k triangles).
 */
export const SIDE_MIN_BYTES = 10 << 20;

/** The options `--analyse` adds; its module (and three-mesh-bvh with it) loads only then. */
const ANALYSE_OPTIONS = {
  analyse: { type: 'boolean' },
  'min-wall': { type: 'string', default: '0.5' },
} as const;

export const inspect: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean' },
        profile: { type: 'string', default: 'scan' },
        'no-self-intersection': { type: 'boolean' },
        ...ANALYSE_OPTIONS,
      },
      allowPositionals: true,
      strict: true,
    });
    const profile = values.profile as Profile;
    if (!PROFILES.includes(profile)) {
      throw new CuspError('bad_request', `unknown profile '${values.profile}' — use --profile scan or --profile solid`);
    }
    if (positionals.length === 0) throw new CuspError('bad_request', 'name at least one file — usage: cusp inspect FILE… (cusp inspect --help lists the options)');

    const selfIntersection = !values['no-self-intersection'];
    // The second thread starts first, so it loads its code while this one reads the file;
    // only for big scans (see SIDE_MIN_BYTES).
    const side = selfIntersection && inputFileBytes(positionals) >= SIDE_MIN_BYTES ? startSelfIntersectionSide() : undefined;
    if (side) useSharedScratch();
    try {
      return await inspectFiles(positionals, { json: values.json, profile, selfIntersection, analyse: values.analyse, minWall: values['min-wall'] }, io, side);
    } finally {
      await side?.close();
    }
  },
};

interface InspectFlags {
  json?: boolean;
  profile: Profile;
  selfIntersection: boolean;
  analyse?: boolean;
  minWall?: string;
}

async function inspectFiles(positionals: string[], values: InspectFlags, io: CommandIO, side: SelfIntersectionSide | undefined): Promise<number> {
  const analyseMesh = values.analyse ? (await import('./inspect-analysis.js')).analyseMesh : undefined;
  const results: Record<string, unknown>[] = [];
  let failed = false;
  for (const file of positionals) {
    let read: ReadResult;
    let arena: SharedArrayBuffer | undefined;
    // The second thread starts on the tree's order from the file while this one welds it.
    side?.prepare(file);
    try {
      ({ read, arena } = await readInspected(file, side !== undefined));
    } catch (err) {
      failed = true;
      const message = describe(file, err);
      io.stderr.write(`cusp inspect: ${message}\n`);
      results.push({ file, error: { code: isCuspError(err) ? err.code : 'invalid_input', message } });
      continue;
    }
    const options = { profile: values.profile, selfIntersection: values.selfIntersection };
    // On two threads when there is a second one; should it fail, on this one (same result).
    const report = side
      ? await inspectMeshWith(read.mesh, options, (welded) => side.find(welded, arena, file).catch(() => findSelfIntersections(welded)))
      : inspectMesh(read.mesh, options);
    if (report.verdict === 'fail') failed = true;
    const analysis = analyseMesh?.(read.mesh, values.minWall);
    results.push({ file, format: read.format, variant: read.variant, warnings: read.warnings, ...report, ...(analysis && { analysis: analysis.json }) });
    if (!values.json) printReport(io, file, read, report, analysis?.lines);
  }
  if (values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return failed ? 1 : 0;
}

/**
 * Read `file` for the checks. A binary STL is welded as it is read, in a few MB (see
 * stl-binary-welded.ts), and `arena` is its welding table's memory; any other file is read
 * whole, and `arena` is its bytes' memory once the mesh is read from them (`readFileBytes`). `shared`: the mesh's arrays,
 * in SharedArrayBuffers for the self-intersection thread.
 */
async function readInspected(file: string, shared: boolean): Promise<{ read: ReadResult; arena?: SharedArrayBuffer }> {
  const welded = readStlFileWelded(file, basename(file), shared);
  if (welded) return { read: welded, arena: welded.spare };
  // The other readers load only for a file that needs them (a binary STL, the usual scan, does not).
  const { readMesh } = await import('../../src/mesh/read/index.js');
  const whole = readFileBytes(file, shared);
  try {
    const read = await readMesh({ bytes: whole.bytes, name: basename(file), resolve: siblingsOf(file) });
    return { read, arena: whole.release(read.mesh) };
  } catch (err) {
    whole.release();
    throw err;
  }
}

/** An ArrayBuffer made with `maxByteLength` (ES2024; Node 20 has it, the ES2023 typings do not). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/** A file's bytes, and `release`, called once the reader is done with them. */
interface FileBytes {
  bytes: Uint8Array;
  /**
   * Give the bytes' memory back, unless `keep` (the mesh read) still uses it. When they were
   * read `shared`, returns their buffer instead, as an arena for the self-intersection tree.
   */
  release: (keep?: IndexedMesh) => SharedArrayBuffer | undefined;
}

/**
 * The file's bytes, in memory that is not left to the garbage collector. A 2M-triangle STL
 * is 100 MB; read with `readFileSync`, it stays resident until a collection, and the checks
 * allocate so little on the JavaScript heap that none comes before their peak. Read into a
 * resizable buffer, it is shrunk to nothing once parsed, which returns its pages there and
 * then; read `shared` (for the self-intersection thread), the tree is built in it instead
 * of in new pages (first touching a page costs about as much as the checks' work on it).
 */
function readFileBytes(file: string, shared: boolean): FileBytes {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = shared ? new SharedArrayBuffer(size) : new Resizable(size, { maxByteLength: size });
    const bytes = new Uint8Array(buffer);
    let at = 0;
    for (let n = 1; at < size && n > 0; at += n) n = readSync(fd, bytes, at, size - at, at);
    const release = (keep?: IndexedMesh): SharedArrayBuffer | undefined => {
      const arrays = keep ? [keep.positions, keep.indices, keep.normals, keep.colors, keep.uvs] : [];
      if (arrays.some((a) => a?.buffer === buffer)) return undefined;
      if (buffer instanceof SharedArrayBuffer) return keep ? buffer : undefined;
      buffer.resize(0);
      return undefined;
    };
    // A file that shrank while it was read is read as far as it went.
    return { bytes: at < size ? bytes.subarray(0, at) : bytes, release };
  } finally {
    closeSync(fd);
  }
}

/** Sibling files come only from the file's own folder or below it. */
function siblingsOf(file: string): (uri: string) => Uint8Array | undefined {
  const folder = resolvePath(dirname(file));
  return (uri) => {
    let relative: string;
    try {
      relative = normalize(decodeURIComponent(uri));
    } catch {
      return undefined;
    }
    if (isAbsolute(relative) || relative.startsWith('..')) return undefined;
    try {
      return readFileSync(resolvePath(folder, relative));
    } catch {
      return undefined;
    }
  };
}

function describe(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file}: is a folder, not a mesh file`;
  if (code === 'EACCES') return `${file}: permission denied`;
  const message = err instanceof Error ? err.message : String(err);
  return message.includes(basename(file)) ? message : `${file}: ${message}`;
}

function printReport(io: CommandIO, file: string, read: ReadResult, r: MeshReport, extra: string[] = []): void {
  const out: string[] = [];
  const unit = r.units.guess === 'unknown' ? 'units' : r.units.guess;
  const size = [0, 1, 2].map((k) => fmt(r.bbox.max[k] - r.bbox.min[k])).join(' × ');
  out.push(`${file}  (${read.format.toUpperCase()} ${read.variant})  verdict: ${r.verdict.toUpperCase()} as a ${r.profile}`);
  out.push(`  ${count(r.triangles, 'triangle')}, ${count(r.vertices, 'vertex', 'vertices')}, ${count(r.components.count, 'piece')}`);
  out.push(`  size ${size} ${unit} (units: ${r.units.guess} — ${r.units.reason})`);
  const volume = r.volume === null ? 'volume n/a (not closed)' : `volume ${fmt(r.volume)} ${unit}³`;
  out.push(`  area ${fmt(r.area)} ${unit}², ${volume}`);
  const borders = r.boundaryLoops.count === 0 ? 'closed, no borders' : `${count(r.boundaryLoops.count, 'border')} (longest ${fmt(r.boundaryLoops.lengths[0])} ${unit}), ${count(r.holes.count, 'hole')}`;
  out.push(`  ${borders}`);
  const si = r.selfIntersectingPairs === null ? 'not checked' : String(r.selfIntersectingPairs);
  out.push(`  watertight ${yes(r.watertight)} · edge-manifold ${yes(r.edgeManifold)} · vertex-manifold ${yes(r.vertexManifold)} · winding consistent ${yes(r.windingConsistent)} · self-intersecting pairs ${si}`);
  for (const w of read.warnings) out.push(`  note: ${w}`);
  for (const issue of r.issues) out.push(`  ${issue.severity === 'fail' ? 'FAIL' : 'warn'}  ${issue.message}`);
  out.push(...extra);
  io.stdout.write(`${out.join('\n')}\n\n`);
}

function yes(b: boolean): string {
  return b ? 'yes' : 'no';
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${groupDigits(n)} ${n === 1 ? one : many}`;
}

function fmt(x: number): string {
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.01 || a === 0 ? x.toFixed(2) : x.toPrecision(2);
}
