/**
 * The ingest try-read: parse a candidate file strictly before it is accepted, so a file
 * still being copied or one that cannot be read is never stored as a scan. Runs in a
 * worker thread so a large OBJ does not stall the API. An upload comes as a path to its temp
 * file instead of bytes: the worker reads it itself, streaming where it can.
 */
import { readMesh } from '../../mesh/read/index.js';
import { normalizeUri } from '../../ingest/siblings.js';
import { probeFile } from '../../ingest/upload-probe-file.js';
import { runWorker } from '../worker-runtime.js';

runWorker<'probe'>(async (input) => {
  if (input.path) return { result: await probeFile(input.path, input.name) };
  const siblings = new Map(Object.entries(input.siblings).map(([uri, buf]) => [uri, new Uint8Array(buf)]));
  const read = await readMesh({ bytes: new Uint8Array(input.bytes), name: input.name, resolve: (uri) => siblings.get(normalizeUri(uri)) });
  return {
    result: {
      format: read.format,
      variant: read.variant,
      triangles: read.mesh.indices.length / 3,
      vertices: read.mesh.positions.length / 3,
      warnings: read.warnings,
    },
  };
});
