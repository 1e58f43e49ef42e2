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
import { fastFacet, fastLines } from './stl-ascii-fast.js';
import type { StlParse } from './stl-binary.js';
import { indexOfAscii, TextScanner, utf8 } from './text-scanner.js';

/** Length of a UTF-8 byte order mark at the start of `bytes` (0 or 3). */
export function utf8BomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * How many facets the file probably holds, from the average length of the facets in its
 * first 16 KB and 6% to spare (number widths vary), so the position list rarely grows (a
 * copy each time) and ends close enough to full to be used without a copy. Without a whole
 * facet in the first 16 KB: ~250 bytes a facet, typical of exports.
 */
function facetEstimate(bytes: Uint8Array): number {
  const head = bytes.subarray(0, 16384);
  const first = indexOfAscii(head, 'facet', 0);
  let facets = 0;
  let last = -1;
  for (let at = indexOfAscii(head, 'endfacet', first); at >= 0; at = indexOfAscii(head, 'endfacet', at + 8)) {
    facets++;
    last = at + 8;
  }
  const perFacet = first >= 0 && facets > 0 ? (last - first) / facets : 250;
  return Math.ceil((bytes.length / Math.max(perFacet, 60)) * 1.06) + 1;
}

/** Read an ASCII STL; `name` is used in messages. */
export function readStlAscii(bytes: Uint8Array, name: string): StlParse {
  const s = new TextScanner(bytes, utf8BomLength(bytes));
  const fail = (what: string): never => {
    const found = s.atEnd() ? 'the end of the file' : `'${s.readToken().slice(0, 40)}'`;
    throw meshRejected(
      'stl',
      s.atEnd() ? 'truncated' : 'syntax',
      `${name}: line ${s.line}: expected ${what}, found ${found} — the ASCII STL is malformed` +
        (s.atEnd() ? ' or cut short; export the scan again' : '; export it again, preferably as binary STL'),
    );
  };
  const positions = new FloatList(facetEstimate(bytes) * 9);
  const groups: MeshGroup[] = [];
  let emptySolids = 0;
  let splitFacets = 0;
  let firstSplitLine = 0;
  const warnings: string[] = [];

  while (true) {
    s.skipWhitespace();
    if (s.atEnd()) break;
    if (!s.matchWord('solid')) {
      if (groups.length + emptySolids === 0) fail("'solid'");
      warnings.push(`data after the last 'endsolid' (line ${s.line}) was ignored`);
      break;
    }
    s.skipBlanks();
    const solidName = utf8(bytes, s.pos, s.lineEnd()).trim();
    s.skipLine();
    const start = positions.length / 9;
    while (true) {
      const after = fastFacet(bytes, s.pos, s.end, positions);
      if (after >= 0) {
        s.pos = after;
        s.line += fastLines.count;
        continue;
      }
      s.skipWhitespace();
      if (s.matchWord('endsolid')) {
        s.skipLine();
        break;
      }
      if (!s.matchWord('facet')) fail("'facet' or 'endsolid'");
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
          if (v - v !== 0) {
            throw meshRejected(
              'stl',
              'non_finite',
              `${name}: line ${s.line}: vertex coordinate ${v} is not a finite number — the export is corrupt; re-export from the scanner`,
            );
          }
          positions.push(v);
        }
        corners++;
      }
      if (corners < 3) {
        throw meshRejected(
          'stl',
          'syntax',
          `${name}: line ${s.line}: a facet has ${corners} vertices, a triangle needs 3 — the ASCII STL is malformed; export it again`,
        );
      }
      if (corners > 3 && splitFacets++ === 0) firstSplitLine = s.line;
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
  if (groups.length > 1) {
    const names = groups.slice(0, 5).map((g) => `'${g.name}'`).join(', ');
    warnings.push(`${groups.length} solids merged into one mesh (${names}${groups.length > 5 ? ', …' : ''})`);
  }
  if (splitFacets > 0) {
    warnings.push(`${splitFacets} facet${splitFacets > 1 ? 's' : ''} with more than 3 vertices (first at line ${firstSplitLine}) split into triangles`);
  }
  if (emptySolids > 0) warnings.push(`${emptySolids} empty solid${emptySolids > 1 ? 's' : ''} skipped`);
  const indices = new Uint32Array(triangles * 3);
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  const mesh: IndexedMesh = { positions: positions.toArray(), indices, groups };
  return { mesh, warnings };
}
