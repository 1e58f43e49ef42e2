/**
 * The bite's clearance in the browser: every vertex of the lower jaw's preview gets its
 * signed distance to the upper jaw's preview — positive in the gap, negative where the
 * surfaces overlap — with the very code the `analyse` job runs on the full scans
 * (src/mesh/analysis: the distance's sign from the upper's normals, nothing past 3 mm).
 *
 * Why here and not a job artifact: the job measures the full scans, whose vertices are not
 * the preview's, and a per-vertex artifact at full resolution is megabytes the page would
 * need the full scans to use (the comparison's 1M-triangle heat map is 26.7 MiB). On the
 * previews (at most 100k triangles each, within the preview's stated error of the scan)
 * it takes well under a second, and works for bites analysed before this page existed.
 */
import * as THREE from 'three';
import { signedDistances } from '../../../src/mesh/analysis/deviation.js';
import { prepareTarget } from '../../../src/mesh/analysis/signed-distance.js';
import { vertexAreas } from '../../../src/mesh/analysis/surface.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { weldExact } from '../../../src/mesh/weld.js';

/** Up to this clearance (mm) a point is a near contact; at or under 0 mm, a contact. */
export const NEAR_MM = 0.5;
/** Clearances beyond this (mm) are not measured (as the analyse job). */
const MAX_MM = 3;

/** The three bands the lower jaw is coloured in. */
export type Band = 'contact' | 'near' | 'clear';

/** sRGB colours of the bands: dark red and light amber differ in lightness too (colour-blind safe); clear is the scan's ivory. */
export const BAND_COLOURS: Record<Band, number> = { contact: 0xb2182b, near: 0xfdb863, clear: 0xeee6d6 };

/** The lower jaw's side of the bite, as measured on the previews. */
export interface BiteClearance {
  /** The lower jaw's preview, welded: the clearance is per vertex of this mesh. */
  lower: IndexedMesh;
  /** mm per vertex; NaN beyond 3 mm. */
  clearance: Float32Array;
  contactAreaMm2: number;
  nearAreaMm2: number;
  /** Smallest clearance (negative: the deepest overlap); NaN when nothing is within 3 mm. */
  minMm: number;
}

/** A GLB's geometry as one indexed mesh (copied out: its attribute may be interleaved). */
export function indexedMesh(geometry: THREE.BufferGeometry): IndexedMesh {
  const attr = geometry.getAttribute('position');
  const positions = new Float32Array(attr.count * 3);
  for (let v = 0; v < attr.count; v++) positions.set([attr.getX(v), attr.getY(v), attr.getZ(v)], 3 * v);
  const indices = geometry.index ? Uint32Array.from(geometry.index.array) : Uint32Array.from({ length: attr.count }, (_x, i) => i);
  return { positions, indices };
}

/** The band of one clearance (mm). */
export function band(clearance: number): Band {
  if (clearance <= 0) return 'contact';
  if (clearance <= NEAR_MM) return 'near';
  return 'clear';
}

/** Clearance of each vertex of `lower` to the surface of `upper` (both in the scanner's one frame). */
export function measureBite(upper: IndexedMesh, lower: IndexedMesh): BiteClearance {
  const target = prepareTarget(weldExact(upper).mesh);
  const welded = weldExact(lower).mesh;
  const clearance = signedDistances(welded.positions, target, { maxDistance: MAX_MM, borderTolerance: Infinity });
  const areas = vertexAreas(welded.positions, welded.indices);
  let contact = 0, near = 0, min = Infinity;
  for (let v = 0; v < clearance.length; v++) {
    const c = clearance[v];
    if (Number.isNaN(c)) continue;
    if (c < min) min = c;
    const b = band(c);
    if (b === 'contact') contact += areas[v];
    else if (b === 'near') near += areas[v];
  }
  return { lower: welded, clearance, contactAreaMm2: contact, nearAreaMm2: near, minMm: min === Infinity ? NaN : min };
}

/** Vertex colours (three.js works in linear RGB) of the bands of `clearance`. */
export function bandColours(clearance: Float32Array): Float32Array {
  const linear = Object.fromEntries(Object.entries(BAND_COLOURS).map(([k, hex]) => [k, new THREE.Color(hex)])) as Record<Band, THREE.Color>;
  const out = new Float32Array(clearance.length * 3);
  for (let v = 0; v < clearance.length; v++) {
    const c = linear[Number.isNaN(clearance[v]) ? 'clear' : band(clearance[v])];
    out[3 * v] = c.r;
    out[3 * v + 1] = c.g;
    out[3 * v + 2] = c.b;
  }
  return out;
}

/** A three.js geometry of `mesh` (normals computed, bounding box set). */
export function meshGeometry(mesh: IndexedMesh): THREE.BufferGeometry {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
  g.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
  g.computeVertexNormals();
  g.computeBoundingBox();
  return g;
}
