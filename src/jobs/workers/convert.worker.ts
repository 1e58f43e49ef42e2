/**
 * Conversion of a stored scan to another format for download: read it (with its sibling
 * files), write it as STL, PLY, OBJ or GLB. A worker thread, because reading and writing
 * a large scan takes long enough to stall the API. An OBJ whose mesh has materials comes
 * back as a zip of the .obj and its .mtl.
 */
import { zipSync } from 'fflate';
import { normalizeUri } from '../../ingest/siblings.js';
import { readMesh } from '../../mesh/read/index.js';
import { writeMesh, writeObj } from '../../mesh/write/index.js';
import { runWorker } from '../worker-runtime.js';

/** An ArrayBuffer holding exactly `bytes`, safe to transfer. */
function own(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

runWorker<'convert'>(async (input, report) => {
  const { options } = input;
  report(0, 'reading');
  const siblings = new Map(Object.entries(input.siblings).map(([uri, buf]) => [uri, new Uint8Array(buf)]));
  const read = await readMesh({ bytes: new Uint8Array(input.bytes), name: input.name, resolve: (uri) => siblings.get(normalizeUri(uri)) });
  report(0.5, 'writing');
  let out: Uint8Array;
  let extension: string = options.format;
  if (options.format === 'obj') {
    const { obj, mtl } = writeObj(read.mesh, { mtlName: `${options.baseName}.mtl` });
    out = obj;
    if (mtl) {
      out = zipSync({ [`${options.baseName}.obj`]: obj, [`${options.baseName}.mtl`]: mtl });
      extension = 'zip';
    }
  } else {
    out = writeMesh(read.mesh, options.format, { ascii: options.ascii, name: options.baseName });
  }
  const bytes = own(out);
  report(1, 'done');
  return { result: { bytes, extension, triangles: read.mesh.indices.length / 3 }, transfer: [bytes] };
});
