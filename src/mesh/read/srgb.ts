/**
 * Colour encoding at the glTF boundary. IndexedMesh colours are sRGB-encoded bytes, as
 * scanners, PLY and OBJ store them; glTF's COLOR_0 and baseColorFactor are linear. Readers
 * and writers convert, so a tooth's shade looks the same in every format.
 */

/** A linear component (0..1) as an sRGB byte, exactly. */
export function linearToSrgbByteExact(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 1) return 255;
  const s = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  return Math.round(s * 255);
}

let table: Uint8Array | undefined;

/**
 * A linear component (0..1) as an sRGB byte, through a 16-bit table (a million colours
 * without a million Math.pow calls). Exact for 8- and 16-bit normalised input; float input
 * is quantised to 1/65535 first, far below one sRGB step.
 */
export function linearToSrgbByte(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 1) return 255;
  table ??= Uint8Array.from({ length: 65536 }, (_, i) => linearToSrgbByteExact(i / 65535));
  return table[Math.round(v * 65535)];
}

/** Linear value of each sRGB byte. */
export const SRGB_TO_LINEAR: Float32Array = Float32Array.from({ length: 256 }, (_, i) => {
  const s = i / 255;
  return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
});
