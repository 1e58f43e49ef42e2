/** Reading a job's mesh inputs inside a worker. */
import { normalizeUri } from '../../ingest/siblings.js';
import { readMesh, type ReadResult } from '../../mesh/read/index.js';
import type { IndexedMesh } from '../../mesh/mesh.js';
import type { MeshInput } from '../protocol.js';

export async function readInput(input: MeshInput): Promise<IndexedMesh> {
  return (await readInputFully(input)).mesh;
}

/** The whole read of `input`: the mesh with the reader's warnings. */
export async function readInputFully(input: MeshInput): Promise<ReadResult> {
  const siblings = new Map(Object.entries(input.siblings).map(([uri, buf]) => [uri, new Uint8Array(buf)]));
  return readMesh({ bytes: new Uint8Array(input.bytes), name: input.name, resolve: (uri) => siblings.get(normalizeUri(uri)) });
}
