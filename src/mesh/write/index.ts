/**
 * Writing meshes: one dispatch over the formats Cusp converts to. Pure: a mesh in, the
 * file's bytes out. OBJ's material library comes from `writeObj`, which returns both files.
 * PLY, OBJ and glTF share their vertices (`weldKeepingSeams`): a scan read from an STL
 * soup is written with one vertex per position, not three per triangle.
 */
import type { IndexedMesh, MeshFormat } from '../mesh.js';
import { weldKeepingSeams } from '../weld.js';
import { writeGlb, writeGltf } from './glb.js';
import { writeObj } from './obj.js';
import { writePlyAscii, writePlyBinary } from './ply.js';
import { writeStlAscii, writeStlBinary } from './stl.js';

export { writeGlb, writeGltf } from './glb.js';
export { writeObj, type ObjOptions } from './obj.js';
export { writePlyAscii, writePlyBinary } from './ply.js';
export { writeStlAscii, writeStlBinary } from './stl.js';

export interface WriteOptions {
  /** STL and PLY: write the ASCII variant instead of binary. */
  ascii?: boolean;
  /** STL: the solid's name (ASCII). */
  name?: string;
  /** OBJ: the MTL file name referenced by `mtllib`. */
  mtlName?: string;
}

/** Encode `mesh` as a file of `format`. For OBJ this is the .obj only; use writeObj for its .mtl. */
export function writeMesh(mesh: IndexedMesh, format: MeshFormat, options: WriteOptions = {}): Uint8Array {
  switch (format) {
    case 'stl':
      return options.ascii ? writeStlAscii(mesh, options.name) : writeStlBinary(mesh);
    case 'ply':
      return options.ascii ? writePlyAscii(weldKeepingSeams(mesh).mesh) : writePlyBinary(weldKeepingSeams(mesh).mesh);
    case 'obj':
      return writeObj(mesh, { mtlName: options.mtlName }).obj;
    case 'glb':
      return writeGlb(weldKeepingSeams(mesh).mesh);
    case 'gltf':
      return writeGltf(weldKeepingSeams(mesh).mesh);
  }
}
