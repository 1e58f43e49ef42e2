/**
 * ASCII STL: `solid name` / `facet normal …` / `outer loop` / `vertex x y z`… / `endloop` /
 * `endfacet` / `endsolid`. Keywords in any case, any whitespace between tokens, several
 * solids per file (merged, one group each). A loop with more than three vertices is
 * fan-triangulated. A file that ends inside a solid is refused as truncated. Canonical
 * triangle facets take the fast path in stl-ascii-fast.ts; this is the general reader.
 */
import type { IndexedMesh, MeshGroup } from '../mesh.js';
import { FloatList } from './growable.js';
import { meshRejected } from './rejection.js';
import { markFinite } from './sound-mesh.js';
import { fastFacets, fastFilled } from './stl-ascii-fast.js';
import { soupIndices, type StlParse } from './stl-binary.js';
import { indexOfAscii, lineNumber, TextScanner, utf8 } from './text-scanner.js';

/** Length of a UTF-8 byte order mark at the start of `bytes` (0 or 3). */
export function utf8BomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * How many facets the file probably holds, from the average length of the facets in three
 * 16 KB windows (start, middle, end: number widths change across a scan) and 6% to spare,
 * so the position list rarely grows (a copy each time) and ends close enough to full to be
 * used without a copy. Without whole facets in the windows: ~250 bytes a facet, typical of
 * exports.
 */
function facetEstimate(bytes: Uint8Array): number {
  const WINDOW = 16384;
  let facets = 0;
  let span = 0;
  for (const at of new Set([0, Math.floor((bytes.length - WINDOW) / 2), bytes.length - WINDOW])) {
    const window = bytes.subarray(Math.max(0, at), Math.max(0, at) + WINDOW);
    const first = indexOfAscii(window, 'endfacet', 0);
    let last = first;
    for (let e = first; e >= 0; e = indexOfAscii(window, 'endfacet', e + 8)) {
      if (e > first) facets++;
      last = e;
    }
    span += last - first;
  }
  const perFacet = facets > 0 ? span / facets : 250;
  return Math.ceil((bytes.length / Math.max(perFacet, 60)) * 1.06) + 1;
}

/** Read an ASCII STL; `name` is used in messages. */
export function readStlAscii(bytes: Uint8Array, name: string): StlParse {
  const s = new TextScanner(bytes, utf8BomLength(bytes));
  // The fast path does not count lines, so `s.line` is not kept: messages count them here.
  const line = (at = s.pos): number => lineNumber(bytes, at);
  const fail = (what: string): never => {
    const found = s.atEnd() ? 'the end of the file' : `'${s.readToken().slice(0, 40)}'`;
    throw meshRejected(
      'stl',
      s.atEnd() ? 'truncated' : 'syntax',
      `${name}: line ${line()}: expected ${what}, found ${found} — the ASCII STL is malformed` +
        (s.atEnd() ? ' or cut short; export the scan again' : '; export it again, preferably as binary STL'),
    );
  };
  const positions = new FloatList(facetEstimate(bytes) * 9);
  const groups: MeshGroup[] = [];
  let emptySolids = 0;
  let splitFacets = 0;
  let firstSplitAt = 0;
  const warnings: string[] = [];

  while (true) {
    s.skipWhitespace();
    if (s.atEnd()) break;
    if (!s.matchWord('solid')) {
      if (groups.length + emptySolids === 0) fail("'solid'");
      warnings.push(`data after the last 'endsolid' (line ${line()}) was ignored`);
      break;
    }
    s.skipBlanks();
    const solidName = utf8(bytes, s.pos, s.lineEnd()).trim();
    s.skipLine();
    const start = positions.length / 9;
    while (true) {
      // Canonical facets in one go, growing the list whenever they fill it.
      do {
        positions.reserve(9);
        s.pos = fastFacets(bytes, s.pos, s.end, positions.data, positions.length);
        positions.length = fastFilled.length;
      } while (positions.length + 9 > positions.data.length);
      s.skipWhitespace();
      if (s.matchWord('endsolid')) {
        s.skipLine();
        break;
      }
      if (!s.matchWord('facet')) fail("'facet' or 'endsolid'");
      const corners = readFacet(s, positions, name, fail, line);
      if (corners > 3 && splitFacets++ === 0) firstSplitAt = s.pos;
      s.skipWhitespace();
      if (!s.matchWord('endfacet')) fail("'endfacet'");
    }
    const count = positions.length / 9 - start;
    if (count === 0) emptySolids++;
    else groups.push({ name: solidName, material: -1, start, count });
  }

  const triangles = positions.length / 9;
  if (triangles === 0) {
    throw meshRejected('stl', 'no_triangles', `${name} holds no triangles (an ASCII STL with no facets) — export the scan again`);
  }
  warnings.push(...solidWarnings(groups, splitFacets, emptySolids, () => line(firstSplitAt)));
  const indices = soupIndices(triangles);
  // Every coordinate was checked as a float32 on the way in (above and in the fast path).
  const mesh: IndexedMesh = { positions: positions.toArray(), indices, groups };
  markFinite(mesh.positions);
  return { mesh, warnings };
}

/**
 * The rest of a facet after 'facet' (the slow path, for a facet the fast path did not take):
 * an optional normal, 'outer loop', its corners into `positions` and 'endloop'. Returns the
 * corner count; a fourth or later corner adds a fan triangle (first, previous, new).
 */
function readFacet(s: TextScanner, positions: FloatList, name: string, fail: (what: string) => never, line: () => number): number {
  s.skipBlanks();
  if (s.matchWord('normal')) {
    // Normals are not kept (see stl-binary.ts): skip three tokens without parsing them
    // ('nan' occurs for degenerate facets and is harmless here).
    for (let k = 0; k < 3; k++) {
      s.skipBlanks();
      if (s.atLineEnd()) fail('a normal component');
      s.pos = s.tokenEnd();
    }
  }
  s.skipWhitespace();
  if (!s.matchWord('outer')) fail("'outer loop'");
  s.skipBlanks();
  if (!s.matchWord('loop')) fail("'outer loop'");
  // Corners go straight into `positions`; a fourth or later corner adds a fan triangle
  // (first, previous, new) so polygons are triangulated without a scratch list.
  const first = positions.length;
  let corners = 0;
  while (true) {
    s.skipWhitespace();
    if (!s.matchWord('vertex')) {
      if (s.matchWord('endloop')) break;
      fail("'vertex' or 'endloop'");
    }
    if (corners >= 3) {
      const d = positions.data;
      const prev = positions.length - 3;
      positions.push3(d[first], d[first + 1], d[first + 2]);
      positions.push3(d[prev], d[prev + 1], d[prev + 2]);
    }
    for (let k = 0; k < 3; k++) {
      s.skipBlanks();
      const v = s.readFloat();
      if (!s.ok) fail('a vertex coordinate');
      checkCoordinate(v, name, line);
      positions.push(v);
    }
    corners++;
  }
  if (corners < 3) {
    throw meshRejected(
      'stl',
      'syntax',
      `${name}: line ${line()}: a facet has ${corners} vertices, a triangle needs 3 — the ASCII STL is malformed; export it again`,
    );
  }
  return corners;
}

/** Vertex coordinate `v` must be a finite float32. */
function checkCoordinate(v: number, name: string, line: () => number): void {
  const single = Math.fround(v);
  if (single - single !== 0) {
    const what = v - v !== 0 ? 'is not a finite number' : 'is beyond the range of a 32-bit float';
    throw meshRejected('stl', 'non_finite', `${name}: line ${line()}: vertex coordinate ${v} ${what} — the export is corrupt; re-export from the scanner`);
  }
}

/** What a user should know about the solids read: several merged, polygons split, empty ones skipped. */
function solidWarnings(groups: MeshGroup[], splitFacets: number, emptySolids: number, firstSplitLine: () => number): string[] {
  const warnings: string[] = [];
  if (groups.length > 1) {
    const names = groups.slice(0, 5).map((g) => `'${g.name}'`).join(', ');
    warnings.push(`${groups.length} solids merged into one mesh (${names}${groups.length > 5 ? ', …' : ''})`);
  }
  if (splitFacets > 0) {
    warnings.push(`${splitFacets} facet${splitFacets > 1 ? 's' : ''} with more than 3 vertices (first at line ${firstSplitLine()}) split into triangles`);
  }
  if (emptySolids > 0) warnings.push(`${emptySolids} empty solid${emptySolids > 1 ? 's' : ''} skipped`);
  return warnings;
}
