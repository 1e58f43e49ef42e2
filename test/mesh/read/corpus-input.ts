// Corpus files as ReadInput, with `resolve` reading siblings from the file's own folder, and
// the manifest's expectations in a typed shape.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReadInput } from '../../../src/mesh/read/index.js';
import { corpusBytes, corpusPath } from '../../helpers/corpus.js';

export interface ManifestFile {
  file: string;
  format: string;
  variant: string;
  size_bytes: number;
  derived_how: string | null;
  expected: {
    parse?: string;
    notes?: string;
    values?: {
      triangle_count?: { value: number | null };
      vertex_count_raw?: { value: number | null };
      bbox?: { min: number[]; max: number[] };
    };
    by_tool?: { header_inspection?: Record<string, unknown> };
  };
}

/** Every file of the manifest. */
export function manifestFiles(): ManifestFile[] {
  return (JSON.parse(corpusBytes('MANIFEST.json').toString('utf8')) as { files: ManifestFile[] }).files;
}

/** The formats Cusp reads; the corpus also holds .mtl, .jpg and .bin companions. */
export const MESH_FORMATS = ['stl', 'ply', 'obj', 'gltf', 'glb'];

/** A corpus file as reader input; siblings resolve from the same folder. */
export function corpusInput(relative: string): ReadInput {
  const dir = dirname(corpusPath(relative));
  return {
    bytes: new Uint8Array(corpusBytes(relative)),
    name: basename(relative),
    resolve: (uri) => {
      try {
        return new Uint8Array(readFileSync(join(dir, uri)));
      } catch {
        return undefined;
      }
    },
  };
}
