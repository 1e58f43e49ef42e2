/**
 * Wavefront OBJ (+ MTL through `resolve`): `v x y z [w]` or `v x y z r g b` (vertex
 * colours), `vt`, `vn`, faces `f v`, `v/vt`, `v//vn`, `v/vt/vn` with positive or negative
 * (relative) indices, polygons triangulated (fanned as read, then — once every vertex is
 * known, as faces may point forward — convex quads kept and other polygons ear-clipped on
 * their best-fit plane: see polygon.ts), groups from `g`/`o`/`usemtl`, `\` continuation
 * lines joined (see TextScanner). Indices are checked: 0, out-of-range and short faces are
 * refused with the line number.
 */
import type { IndexedMesh } from '../mesh.js';
import { FloatList, IndexList } from './growable.js';
import { ObjColors } from './obj-colors.js';
import { ObjGroups } from './obj-groups.js';
import { resolveMaterials } from './obj-materials.js';
import { quadFanFits, retriangulateFans } from './polygon.js';
import { NO_INDEX, buildObjVertices } from './obj-vertices.js';
import { meshRejected } from './rejection.js';
import { utf8BomLength } from './stl-ascii.js';
import { TextScanner, latin1, utf8 } from './text-scanner.js';

export interface ObjParse {
  mesh: IndexedMesh;
  warnings: string[];
}

const SLASH = 47;

/** Read an OBJ file; `resolve` fetches the MTL files it names. */
export function readObj(bytes: Uint8Array, name: string, resolve?: (uri: string) => Uint8Array | undefined): ObjParse {
  if (bytes.length === 0) throw meshRejected('obj', 'empty', `${name} is empty (0 bytes) — the export did not finish; export the scan again`);
  const p = new ObjParser(joinContinuations(bytes), name);
  p.parse();
  if (p.cornerV.length === 0) {
    throw meshRejected('obj', 'no_triangles', `${name} has ${p.positions.length / 3} vertices but no faces — export the scan as a mesh`);
  }
  p.checkForwardReferences();
  p.triangulatePolygons();
  const { materials, warnings } = resolveMaterials(p.groups.materialNames, p.mtllibs, name, resolve);
  const built = buildObjVertices({
    positions: p.positions.toArray(),
    colors: p.colors.toBytes(p.positions.length / 3),
    texcoords: p.texcoords.toArray(),
    normals: p.normals.toArray(),
    cornerV: p.cornerV.toArray(),
    cornerT: p.usesT ? p.cornerT.toArray() : undefined,
    cornerN: p.usesN ? p.cornerN.toArray() : undefined,
  });
  const mesh: IndexedMesh = { positions: built.positions, indices: built.indices };
  if (built.colors) mesh.colors = built.colors;
  if (built.normals) mesh.normals = built.normals;
  if (built.uvs) mesh.uvs = built.uvs;
  const groups = p.groups.list;
  const unnamed = groups.length === 1 && groups[0].name === '' && groups[0].material === -1;
  if (groups.length > 0 && !unnamed) mesh.groups = groups;
  if (materials.length > 0) mesh.materials = materials;
  return { mesh, warnings: [...p.warnings, ...warnings] };
}

class ObjParser {
  readonly positions: FloatList;
  readonly colors = new ObjColors();
  readonly texcoords = new FloatList(16);
  readonly normals = new FloatList(16);
  readonly cornerV: IndexList;
  readonly cornerT: IndexList;
  readonly cornerN: IndexList;
  usesT = false;
  usesN = false;
  readonly mtllibs: string[] = [];
  readonly groups = new ObjGroups();
  readonly warnings: string[] = [];
  private maxForward = -1;
  private maxForwardLine = 0;
  private ignored = new Map<string, number>();
  private lenientNumbers = 0;
  private readonly s: TextScanner;
  private readonly face = new IndexList(16);
  /** Faces of more than three corners: first corner slot and corner count, fanned for now. */
  private readonly polygons = new IndexList(16);

  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
  ) {
    this.s = new TextScanner(bytes, utf8BomLength(bytes));
    // ~30 bytes per vertex line and ~2 triangles per vertex in scans.
    const guess = Math.ceil(bytes.length / 90);
    this.positions = new FloatList(guess * 3);
    this.cornerV = new IndexList(guess * 6);
    this.cornerT = new IndexList(16);
    this.cornerN = new IndexList(16);
  }

  parse(): void {
    const s = this.s;
    const b = this.bytes;
    while (true) {
      s.skipWhitespace();
      if (s.atEnd()) break;
      const at = s.pos;
      const c0 = b[at];
      const c1 = at + 1 < s.end ? b[at + 1] : 10;
      const c2 = at + 2 < s.end ? b[at + 2] : 10;
      if (c0 === 118 /* v */ && isSep(c1)) {
        s.pos++;
        this.vertex();
      } else if (c0 === 118 && c1 === 116 /* t */ && isSep(c2)) {
        s.pos += 2;
        this.texcoord();
      } else if (c0 === 118 && c1 === 110 /* n */ && isSep(c2)) {
        s.pos += 2;
        this.normal();
      } else if (c0 === 102 /* f */ && isSep(c1)) {
        s.pos++;
        this.faceLine();
      } else if (c0 === 35 /* # */) {
        // comment
      } else {
        this.statement(s.readToken());
      }
      s.skipLine();
    }
    this.groups.close(this.cornerV.length / 3);
    if (this.lenientNumbers > 0) {
      this.warnings.push(`${this.lenientNumbers} malformed number${this.lenientNumbers > 1 ? 's' : ''} read by their numeric prefix (as other OBJ readers do)`);
    }
    for (const [key, n] of this.ignored) this.warnings.push(`${n} '${key}' statement${n > 1 ? 's' : ''} ignored (${IGNORED[key]})`);
  }

  private statement(key: string): void {
    switch (key) {
      case 'g':
        this.groups.setGroup(this.rest());
        return;
      case 'o':
        this.groups.setObject(this.rest());
        return;
      case 'usemtl':
        this.groups.useMaterial(this.rest());
        return;
      case 'mtllib': {
        const lib = this.rest();
        if (lib && !this.mtllibs.includes(lib)) this.mtllibs.push(lib);
        return;
      }
      default:
        if (key in IGNORED) this.ignored.set(key, (this.ignored.get(key) ?? 0) + 1);
    }
  }

  private texcoord(): void {
    const u = this.number();
    const v = this.s.atLineEnd() ? 0 : this.number();
    this.texcoords.push(u);
    this.texcoords.push(v);
  }

  private normal(): void {
    const x = this.number();
    const y = this.number();
    const z = this.number();
    this.normals.push3(x, y, z);
  }

  /** The rest of the line, trimmed (names may contain spaces). */
  private rest(): string {
    const s = this.s;
    s.skipBlanks();
    return utf8(this.bytes, s.pos, s.lineEnd()).trim();
  }

  /** A number on the current line; non-numbers are refused, malformed exponents read like strtod. */
  private number(): number {
    const s = this.s;
    if (s.atLineEnd()) this.fail('a number');
    const v = s.readFloat();
    if (s.ok) return v;
    const token = s.readToken();
    const prefix = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(token);
    if (!prefix) {
      s.pos -= token.length;
      this.fail('a number');
    }
    this.lenientNumbers++;
    return Number(prefix[0]);
  }

  private vertex(): void {
    const s = this.s;
    const x = this.number();
    const y = this.number();
    const z = this.number();
    if (x - x !== 0 || y - y !== 0 || z - z !== 0) {
      throw meshRejected('obj', 'non_finite', `${this.name}: line ${s.line}: vertex coordinate is not a finite number — the export is corrupt; export the scan again`);
    }
    this.positions.push3(x, y, z);
    if (s.atLineEnd()) return;
    const extra: number[] = [];
    while (!s.atLineEnd() && extra.length < 4) extra.push(this.number());
    // `v x y z w` (rational weight) or `v x y z r g b`.
    if (extra.length >= 3) this.colors.set(this.positions.length / 3 - 1, extra[0], extra[1], extra[2]);
  }

  private faceLine(): void {
    const s = this.s;
    const b = this.bytes;
    const face = this.face;
    face.length = 0;
    let corners = 0;
    while (!s.atLineEnd()) {
      const v = this.index(this.positions.length / 3, 'vertex');
      let t = NO_INDEX;
      let n = NO_INDEX;
      if (b[s.pos] === SLASH) {
        s.pos++;
        if (startsIndex(b[s.pos])) t = this.index(this.texcoords.length / 2, 'texture coordinate');
        if (b[s.pos] === SLASH) {
          s.pos++;
          if (startsIndex(b[s.pos])) n = this.index(this.normals.length / 3, 'normal');
        }
      }
      const c = b[s.pos];
      if (s.pos < s.end && c !== 32 && c !== 9 && c !== 13 && c !== 10) this.fail('a face corner like 1, 1/2, 1//3 or 1/2/3');
      if (t !== NO_INDEX) this.usesT = true;
      if (n !== NO_INDEX) this.usesN = true;
      face.push3(v, t, n);
      corners++;
    }
    if (corners < 3) {
      throw meshRejected('obj', 'syntax', `${this.name}: face on line ${s.line} has ${corners} vertices, a face needs at least 3 — the OBJ is malformed; export the scan again`);
    }
    this.groups.beginTriangles(this.cornerV.length / 3);
    const f = face.data;
    // A quad whose corners are known and whose fan fits (every convex one) needs nothing
    // later: the fast path. Other polygons are rewritten once every vertex is known.
    if (corners > 3) {
      const known = this.positions.length / 3;
      const fits = corners === 4 && f[0] < known && f[3] < known && f[6] < known && f[9] < known && quadFanFits(this.positions.data, f[0], f[3], f[6], f[9]);
      if (!fits) this.polygons.push3(this.cornerV.length, corners, 0);
    }
    for (let k = 1; k + 1 < corners; k++) {
      this.corner(f[0], f[1], f[2]);
      this.corner(f[k * 3], f[k * 3 + 1], f[k * 3 + 2]);
      this.corner(f[k * 3 + 3], f[k * 3 + 4], f[k * 3 + 5]);
    }
  }

  private corner(v: number, t: number, n: number): void {
    // Texcoord/normal streams are only materialised once a face uses them.
    if (this.usesT) padTo(this.cornerT, this.cornerV.length);
    if (this.usesN) padTo(this.cornerN, this.cornerV.length);
    this.cornerV.push(v);
    if (this.usesT) this.cornerT.push(t);
    if (this.usesN) this.cornerN.push(n);
  }

  /** Parse one index of a face corner and make it 0-based. */
  private index(defined: number, what: string): number {
    const s = this.s;
    const i = s.readInt();
    if (!s.ok) this.fail(`a ${what} index`);
    if (i === 0) {
      throw meshRejected('obj', 'index_out_of_range', `${this.name}: face on line ${s.line} uses ${what} index 0, but OBJ indices start at 1 — the OBJ is malformed; export the scan again`);
    }
    if (i < 0) {
      if (-i > defined) this.outOfRange(what, i, defined, s.line);
      return defined + i;
    }
    if (i > defined) {
      // Positive indices may point forward; checked against the final counts at the end.
      if (what !== 'vertex') this.outOfRange(what, i, defined, s.line);
      if (i > this.maxForward) {
        this.maxForward = i;
        this.maxForwardLine = s.line;
      }
    }
    return i - 1;
  }

  private outOfRange(what: string, i: number, defined: number, line: number): never {
    throw meshRejected(
      'obj',
      'index_out_of_range',
      `${this.name}: face on line ${line} uses ${what} ${i}, but only ${defined} ${what === 'vertex' ? 'vertices' : `${what}s`} are defined — the OBJ is inconsistent; export the scan again`,
    );
  }

  /**
   * Replace each polygon's fan (written as read) by its proper triangulation, in place: a
   * polygon of k corners keeps its k − 2 triangles, so group ranges stay right.
   */
  triangulatePolygons(): void {
    retriangulateFans(this.positions.data, this.polygons, [this.cornerV.data, this.usesT ? this.cornerT.data : null, this.usesN ? this.cornerN.data : null]);
  }

  /** Refuse a face that pointed past the last vertex of the whole file. */
  checkForwardReferences(): void {
    const total = this.positions.length / 3;
    if (this.maxForward > total) this.outOfRange('vertex', this.maxForward, total, this.maxForwardLine);
  }

  private fail(what: string): never {
    const s = this.s;
    const found = s.atLineEnd() ? 'the end of the line' : `'${latin1(this.bytes, s.pos, Math.min(s.tokenEnd(), s.pos + 40))}'`;
    throw meshRejected('obj', 'syntax', `${this.name}: line ${s.line}: expected ${what}, found ${found} — the OBJ is malformed; export the scan again`);
  }
}

const BACKSLASH = 92;

/**
 * Join continuation lines: the OBJ spec lets a `\` at the end of a line continue the
 * statement on the next (long faces are written so; assimp reads them). The backslash and
 * the line break become spaces. A file without any backslash (nearly all) is returned as is
 * after one fast scan; error messages after a joined line count lines from the joined text.
 */
export function joinContinuations(bytes: Uint8Array): Uint8Array {
  let i = bytes.indexOf(BACKSLASH);
  if (i < 0) return bytes;
  let out: Uint8Array | null = null;
  for (; i >= 0; i = bytes.indexOf(BACKSLASH, i + 1)) {
    let j = i + 1;
    while (j < bytes.length && (bytes[j] === 32 || bytes[j] === 9)) j++;
    if (bytes[j] === 13) j++;
    if (bytes[j] !== 10) continue;
    out ??= bytes.slice();
    out.fill(32, i, j + 1);
  }
  return out ?? bytes;
}

/** Statements that describe things a triangle mesh does not hold. */
const IGNORED: Record<string, string> = {
  l: 'polylines are not surfaces',
  p: 'points are not surfaces',
  curv: 'free-form curves are not supported',
  curv2: 'free-form curves are not supported',
  surf: 'free-form surfaces are not supported',
};

function padTo(list: IndexList, length: number): void {
  while (list.length < length) list.push(NO_INDEX);
}

function isSep(c: number): boolean {
  return c === 32 || c === 9;
}

function startsIndex(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43;
}
