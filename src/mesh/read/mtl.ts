/**
 * Wavefront MTL, the part a scan viewer needs: `newmtl`, diffuse colour `Kd`, opacity `d`
 * and the diffuse texture `map_Kd` (options such as `-s 1 1 1` skipped, file names with
 * spaces kept, Windows `.\` prefixes and backslashes normalised). `Tr` is ignored: exporters
 * disagree on its direction (MeshLab writes `Tr 1` for opaque), and a scan shown fully
 * transparent is worse than one shown opaque.
 */
import type { MeshMaterial } from '../mesh.js';
import { utf8BomLength } from './stl-ascii.js';
import { TextScanner, utf8 } from './text-scanner.js';

/** Number of arguments each map option takes (`-o`, `-s`, `-t` take up to three numbers). */
const MAP_OPTIONS: Record<string, number> = {
  '-blendu': 1, '-blendv': 1, '-boost': 1, '-mm': 2, '-o': 3, '-s': 3, '-t': 3,
  '-texres': 1, '-clamp': 1, '-bm': 1, '-imfchan': 1, '-type': 1, '-cc': 1,
};

/** Parse an MTL file into materials by name. Unknown statements are ignored. */
export function readMtl(bytes: Uint8Array): Map<string, MeshMaterial> {
  const materials = new Map<string, MeshMaterial>();
  const s = new TextScanner(bytes, utf8BomLength(bytes));
  let current: MeshMaterial | undefined;
  while (!s.atEnd()) {
    s.skipWhitespace();
    if (s.atEnd()) break;
    const key = s.readToken().toLowerCase();
    s.skipBlanks();
    const restEnd = s.lineEnd();
    if (key === 'newmtl') {
      current = { name: utf8(bytes, s.pos, restEnd).trim(), color: [1, 1, 1, 1] };
      materials.set(current.name, current);
    } else if (current && key === 'kd') {
      const rgb = numbers(s, 3);
      if (rgb.length === 3) current.color = [rgb[0], rgb[1], rgb[2], current.color[3]];
    } else if (current && key === 'd') {
      const [v] = numbers(s, 1);
      if (v !== undefined && v >= 0 && v <= 1) current.color[3] = v;
    } else if (current && key === 'map_kd') {
      const file = mapFile(s, bytes, restEnd);
      if (file) current.texture = file;
    }
    s.skipLine();
  }
  return materials;
}

/** Up to `n` finite numbers from the rest of the line. */
function numbers(s: TextScanner, n: number): number[] {
  const out: number[] = [];
  while (out.length < n && !s.atLineEnd()) {
    const v = s.readFloat();
    if (!s.ok || !Number.isFinite(v)) break;
    out.push(v);
  }
  return out;
}

/** The file name of a map statement, after its options. */
function mapFile(s: TextScanner, bytes: Uint8Array, end: number): string {
  while (!s.atLineEnd() && bytes[s.pos] === 45 /* - */) {
    const option = s.readToken().toLowerCase();
    const args = MAP_OPTIONS[option] ?? 0;
    for (let i = 0; i < args && !s.atLineEnd(); i++) {
      const mark = s.pos;
      s.readFloat();
      // -o/-s/-t take one to three numbers; a non-number is the next word.
      if (!s.ok && (option === '-o' || option === '-s' || option === '-t') && i > 0) {
        s.pos = mark;
        break;
      }
      if (!s.ok) s.readToken();
    }
  }
  s.skipBlanks();
  return normalizeTexturePath(utf8(bytes, s.pos, end).trim());
}

/** `.\dir\tex.jpg` → `dir/tex.jpg`: texture references are kept as portable relative paths. */
export function normalizeTexturePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
