/**
 * Linking an OBJ's `usemtl` names to the materials of the MTL files it names (`mtllib`),
 * fetched through `resolve`. Missing files or definitions are warnings, not failures: the
 * geometry is intact and the material falls back to white.
 */
import type { MeshMaterial } from '../mesh.js';
import { readMtl } from './mtl.js';

/** Materials in order of first `usemtl`, filled from the MTL files the OBJ names. */
export function resolveMaterials(
  used: string[],
  mtllibs: string[],
  name: string,
  resolve?: (uri: string) => Uint8Array | undefined,
): { materials: MeshMaterial[]; warnings: string[] } {
  const warnings: string[] = [];
  const library = new Map<string, MeshMaterial>();
  for (const lib of mtllibs) {
    // `mtllib a.mtl b.mtl` names several files, but names with spaces exist too: try the whole first.
    const whole = resolve?.(lib);
    const candidates = whole || !lib.includes(' ') ? [[lib, whole] as const] : lib.split(/\s+/).map((f) => [f, resolve?.(f)] as const);
    for (const [file, data] of candidates) {
      if (!data) {
        warnings.push(`material library '${file}' named by ${name} was not found next to it; default colours used`);
        continue;
      }
      for (const [key, material] of readMtl(data)) if (!library.has(key)) library.set(key, material);
    }
  }
  const materials = used.map((m): MeshMaterial => {
    const found = library.get(m);
    if (found) return found;
    if (library.size > 0) warnings.push(`material '${m}' is not defined in the material library; default colour used`);
    return { name: m, color: [1, 1, 1, 1] };
  });
  return { materials, warnings };
}
