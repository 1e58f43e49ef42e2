// STL reading beyond the corpus: binary and ASCII twins agree exactly, the header/size rule
// decides binary vs ASCII, odd ASCII spellings read, colours are taken only when a
// convention says so, and lying or broken files are refused with the reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isCuspError } from '../../../src/errors.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import { writeStlAscii } from '../../../src/mesh/write/index.js';
import { corpusInput } from './corpus-input.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function rejects(bytes: Uint8Array, name: string, reason: string, words: RegExp): void {
  assert.throws(
    () => readMeshSync({ bytes, name }),
    (err: unknown) => isCuspError(err) && err.code === 'mesh_rejected' && err.details?.reason === reason && words.test(err.message),
  );
}

/** A binary STL of `count` triangles with the given header text and attribute word. */
function binaryStl(count: number, header: string, attribute: (t: number) => number): Uint8Array {
  const out = new Uint8Array(84 + 50 * count);
  for (let i = 0; i < Math.min(80, header.length); i++) out[i] = header.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(80, count, true);
  for (let t = 0; t < count; t++) {
    const at = 84 + 50 * t;
    for (let k = 0; k < 9; k++) view.setFloat32(at + 12 + 4 * k, t + k * 0.25, true);
    view.setUint16(at + 48, attribute(t), true);
  }
  return out;
}

describe('STL reader', () => {
  it('reads the ASCII rendition of a tooth to exactly the binary one (float32 round trip)', () => {
    const binary = readMeshSync(corpusInput('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'));
    const ascii = readMeshSync(corpusInput('dental/derived_tooth08_ascii.stl'));
    assert.equal(binary.variant, 'binary');
    assert.equal(ascii.variant, 'ascii');
    assert.deepEqual(ascii.mesh.positions, binary.mesh.positions);
    assert.deepEqual(ascii.mesh.indices, binary.mesh.indices);
  });

  it('reads a binary STL whose header starts with "solid", even without an extension', () => {
    const input = corpusInput('stl/sphere_binary_solid_header.stl');
    const r = readMeshSync({ bytes: input.bytes, name: 'scan' });
    assert.equal(r.format, 'stl');
    assert.equal(r.variant, 'binary');
    assert.equal(r.mesh.indices.length / 3, 1360);
  });

  it('reads ASCII with odd case, tabs, CRLF, several solids and a quad facet', () => {
    const ascii =
      'SOLID  first part\r\n\tFacet Normal 0 0 1\r\n  OUTER   LOOP\r\nVERTEX 0 0 0\r\n vertex\t1 0 0\r\n vertex 1e0 1E0 +0\r\n' +
      'vertex 0 1 0\r\nENDLOOP\r\nendfacet\r\nendsolid first part\r\nsolid second\nfacet normal nan nan nan\nouter loop\n' +
      'vertex 5 5 5\nvertex 6 5 5\nvertex 5 6 5\nendloop\nendfacet\nendsolid\n';
    const r = readMeshSync({ bytes: text(ascii), name: 'odd.stl' });
    assert.equal(r.mesh.indices.length / 3, 3);
    assert.deepEqual(Array.from(r.mesh.positions.subarray(9, 18)), [0, 0, 0, 1, 1, 0, 0, 1, 0]);
    assert.deepEqual(r.mesh.groups?.map((g) => [g.name, g.count]), [['first part', 2], ['second', 1]]);
    assert.ok(r.warnings.some((w) => /2 solids merged/.test(w)));
    assert.ok(r.warnings.some((w) => /1 facet with more than 3 vertices/.test(w)));
  });

  it('refuses an ASCII file cut inside a facet, a non-finite vertex and a two-vertex facet', () => {
    const good = 'solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid t\n';
    rejects(text(good.slice(0, 60)), 'cut.stl', 'truncated', /cut\.stl: line \d+: expected .* found the end of the file/);
    rejects(text(good.replace('vertex 1 0 0', 'vertex 1 inf 0')), 'inf.stl', 'non_finite', /line 5: vertex coordinate Infinity/);
    rejects(text(good.replace('vertex 1 0 0\n', '')), 'two.stl', 'syntax', /a facet has 2 vertices/);
    rejects(text(good.replace('endsolid t\n', '')), 'noend.stl', 'truncated', /expected 'facet' or 'endsolid'/);
  });

  it('names the right line after many facets read on the fast path', () => {
    const positions = new Float32Array(5 * 9).map((_, i) => i);
    const ascii = new TextDecoder().decode(writeStlAscii({ positions, indices: Uint32Array.from({ length: 15 }, (_, i) => i) }, 'x'));
    const lines = ascii.split('\n');
    // Line 1 is "solid x"; facet 4 starts on line 23 and its first vertex is line 25.
    assert.match(lines[24], /^ {2}vertex /);
    lines[24] = '  vertex 1 inf 0';
    rejects(text(lines.join('\n')), 'fast.stl', 'non_finite', /fast\.stl: line 25: vertex coordinate Infinity/);
  });

  it('reads any mix of spellings, numbers and polygons to Number()\'s float32 values (fast and general paths agree)', () => {
    // Numbers as exporters and hand edits write them: plain, signed, exponent, a bare
    // fraction, more digits than a double holds. Expected values come from Number().
    const number = fc.oneof(
      fc.integer({ min: -100000, max: 100000 }).map(String),
      fc.double({ min: -1000, max: 1000, noNaN: true }).map((v) => v.toPrecision(9)),
      fc.double({ min: -1e30, max: 1e30, noNaN: true }).map((v) => v.toExponential(6)),
      fc.integer({ min: 0, max: 999 }).map((v) => `+.${v}`),
      fc.constant('3.14159265358979323846264'),
    );
    const facet = fc.record({
      corners: fc.array(fc.tuple(number, number, number), { minLength: 3, maxLength: 5 }),
      normal: fc.boolean(),
      upper: fc.boolean(),
      gap: fc.constantFrom(' ', '\t', '  \t '),
      eol: fc.constantFrom('\n', '\r\n'),
    });
    fc.assert(
      fc.property(fc.array(facet, { minLength: 1, maxLength: 12 }), (facets) => {
        let text = 'solid p\n';
        const expected: number[] = [];
        for (const f of facets) {
          const kw = (w: string): string => (f.upper ? w.toUpperCase() : w);
          text += `${kw('facet')}${f.normal ? `${f.gap}${kw('normal')} 0 0 1` : ''}${f.eol} ${kw('outer')}${f.gap}${kw('loop')}${f.eol}`;
          for (const c of f.corners) text += `  ${kw('vertex')}${f.gap}${c.join(f.gap)}${f.eol}`;
          text += `${kw('endloop')}${f.eol}${kw('endfacet')}${f.eol}`;
          const v = f.corners.map((c) => c.map((x) => Math.fround(Number(x))));
          for (let k = 2; k < v.length; k++) expected.push(...v[0], ...v[k - 1], ...v[k]);
        }
        text += 'endsolid p\n';
        const r = readMeshSync({ bytes: new TextEncoder().encode(text), name: 'mix.stl' });
        assert.deepEqual(Array.from(r.mesh.positions), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a coordinate beyond float32 range on either path, naming its line', () => {
    const facet = (z: string): string => `facet normal 0 0 1\nouter loop\nvertex 0 0 ${z}\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\n`;
    // Third facet: its first vertex is on line 1 + 2 × 7 + 3 = 18. On the fast path, then
    // in a facet without a normal, which only the general path reads.
    const fast = `solid t\n${facet('0')}${facet('1')}${facet('1e39')}endsolid t\n`;
    rejects(text(fast), 'big.stl', 'non_finite', /big\.stl: line 18: vertex coordinate 1e\+39 is beyond the range of a 32-bit float/);
    rejects(text(fast.replace('facet normal 0 0 1\nouter loop\nvertex 0 0 1e39', 'facet\nouter loop\nvertex 0 0 1e39')), 'big.stl', 'non_finite', /line 18: vertex coordinate 1e\+39 is beyond/);
  });

  it('refuses a binary header count the size cannot hold, before allocating for it', () => {
    const bytes = binaryStl(1, 'hostile', () => 0);
    new DataView(bytes.buffer).setUint32(80, 0xffffffff, true);
    rejects(bytes, 'hostile.stl', 'count_mismatch', /header says 4294967295 triangles .* file has 134 bytes, exactly 1 triangle —/);
    rejects(bytes.subarray(0, 120), 'cut.stl', 'truncated', /cut\.stl is truncated: header says 4294967295 triangles/);
  });

  it('refuses a header count with room for more triangles, ignores a few trailing bytes', () => {
    const two = binaryStl(2, 'under', () => 0);
    new DataView(two.buffer).setUint32(80, 1, true);
    rejects(two, 'under.stl', 'count_mismatch', /header says 1 triangles .* the triangle count is wrong/);
    const padded = new Uint8Array(84 + 50 + 7);
    padded.set(binaryStl(1, 'pad', () => 0));
    const r = readMeshSync({ bytes: padded, name: 'pad.stl' });
    assert.equal(r.mesh.indices.length, 3);
    assert.deepEqual(r.warnings, ['7 trailing bytes after the last triangle were ignored']);
  });

  it('takes Materialise colours (COLOR= header, bit 15 clear = own colour, red in the low bits)', () => {
    const header = 'COLOR=\x80\x40\x20\xff MATERIAL=';
    const bytes = binaryStl(2, header, (t) => (t === 0 ? 31 | (0 << 5) | (31 << 10) : 0x8000));
    const { colors } = readMeshSync({ bytes, name: 'magics.stl' }).mesh;
    assert.deepEqual(Array.from(colors?.subarray(0, 4) ?? []), [255, 0, 255, 255]);
    assert.deepEqual(Array.from(colors?.subarray(12, 16) ?? []), [0x80, 0x40, 0x20, 0xff]);
  });

  it('takes VisCAM colours only when the attribute words vary, never from uniform filler', () => {
    const viscam = binaryStl(2, 'viscam', (t) => (t === 0 ? 0x8000 | 31 : 0x8000 | (31 << 10)));
    const { colors } = readMeshSync({ bytes: viscam, name: 'v.stl' }).mesh;
    assert.deepEqual(Array.from(colors?.subarray(0, 4) ?? []), [0, 0, 255, 255]);
    assert.deepEqual(Array.from(colors?.subarray(12, 16) ?? []), [255, 0, 0, 255]);
    // Meshmixer writes 0xFFFF on every facet (the corpus teeth): that is not a colour.
    assert.equal(readMeshSync(corpusInput('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl')).mesh.colors, undefined);
  });
});
