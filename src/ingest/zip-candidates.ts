/** The scans inside a scanner's ZIP export, each with the zip's other entries as siblings. */
import { basename } from 'node:path';
import { CuspError } from '../errors.js';
import { findIteroTexts, type Candidate } from './scan-context.js';
import { unpackZip } from './zip.js';

const MESH_IN_ZIP = /\.(stl|ply|obj|gltf|glb)$/i;
const PHOTO_IN_ZIP = /\.(jpe?g|png|hei[cf])$/i;

/** A scan inside a zip, with the photos the zip holds (stored with its first scan, then images of its visit). */
export interface ZipCandidate extends Candidate {
  photos: Array<{ uri: string; bytes: Uint8Array }>;
}

/** The scans inside a ZIP export, each with the zip's other entries as its siblings. */
export function zipCandidates(bytes: Uint8Array, zipRelative: string): ZipCandidate[] {
  const entries = unpackZip(bytes, basename(zipRelative));
  const byPath = new Map(entries.map((e) => [e.path, e.bytes]));
  const manifest = ['cusp.json', 'manifest.json'].map((n) => byPath.get(n)).find((b) => b !== undefined);
  let sidecar: unknown;
  if (manifest) {
    try {
      sidecar = JSON.parse(new TextDecoder().decode(manifest)) as unknown;
    } catch {
      sidecar = undefined;
    }
  }
  const project = entries.find((e) => e.path.toLowerCase().endsWith('.dentalproject'));
  const itero = findIteroTexts(entries.map((e) => e.path), (p) => byPath.get(p));
  const meshes = entries.filter((e) => MESH_IN_ZIP.test(e.path));
  const photos = entries.filter((e) => PHOTO_IN_ZIP.test(e.path)).map((e) => ({ uri: e.path, bytes: e.bytes }));
  if (meshes.length === 0) throw new CuspError('mesh_rejected', `${basename(zipRelative)} holds no scan (no .stl, .ply, .obj, .gltf or .glb inside)`);
  return meshes.map((e) => {
    const dir = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/') + 1) : '';
    return {
      relativePath: `${zipRelative}/${e.path}`,
      bytes: e.bytes,
      readSibling: (uri: string) => byPath.get(`${dir}${uri}`),
      sidecar: byPath.has(`${e.path}.json`) ? safeJson(byPath.get(`${e.path}.json`)!) : sidecar,
      project: project ? new TextDecoder().decode(project.bytes) : undefined,
      ...itero,
      photos,
    };
  });
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return { invalid: true };
  }
}
