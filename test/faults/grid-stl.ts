// Big valid scans made at run time (never committed): a binary STL of a bumpy height
// field, `n` × `n` quads (2n² triangles, 100n² bytes), different bytes for every seed.

/** A binary STL of 2·n² triangles whose heights depend on `seed`. */
export function gridStl(n: number, seed: number): Buffer {
  const triangles = 2 * n * n;
  const out = Buffer.alloc(84 + 50 * triangles);
  out.write(`cusp fault test grid ${seed}`, 0, 'ascii');
  out.writeUInt32LE(triangles, 80);
  const height = (i: number, j: number) => Math.sin((i + seed) * 0.3) * Math.cos((j - seed) * 0.2) * 2 + ((i * 31 + j * 17 + seed * 7) % 13) * 0.01;
  let off = 84;
  const put = (x: number, y: number, z: number) => {
    out.writeFloatLE(x, off);
    out.writeFloatLE(y, off + 4);
    out.writeFloatLE(z, off + 8);
    off += 12;
  };
  const step = 40 / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x0 = i * step, x1 = (i + 1) * step, y0 = j * step, y1 = (j + 1) * step;
      for (const [a, b, c] of [[[x0, y0], [x1, y0], [x1, y1]], [[x0, y0], [x1, y1], [x0, y1]]]) {
        put(0, 0, 1); // normal (readers recompute it)
        put(a[0], a[1], height(Math.round(a[0] / step), Math.round(a[1] / step)));
        put(b[0], b[1], height(Math.round(b[0] / step), Math.round(b[1] / step)));
        put(c[0], c[1], height(Math.round(c[0] / step), Math.round(c[1] / step)));
        off += 2; // attribute byte count
      }
    }
  }
  return out;
}
