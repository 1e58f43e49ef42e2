/** Reading a job's mesh inputs inside a worker. */
import { normalizeUri } from '../../ingest/siblings.js';
import { readMesh } from '../../mesh/read/index.js';
import type { IndexedMesh } from '../../mesh/mesh.js';
import type { MeshInput } from '../protocol.js';

export async function readInput(input: MeshInput): Promise<IndexedMesh> {
  const siblings = new Map(Object.entries(input.siblings).map(([uri, buf]) => [uri, new Uint8Array(buf)]));
  const read = await readMesh({ bytes: new Uint8Array(input.bytes), name: input.name, resolve: (uri) => siblings.get(normalizeUri(uri)) });
  return read.mesh;
}
