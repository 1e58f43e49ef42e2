/**
 * Occlusion: how the upper and lower jaw of one visit meet. Scanners export both jaws (and
 * the bite scan that places them) in one frame, so no registration is needed: every vertex
 * of each jaw gets its clearance to the opposing jaw's surface — positive in the gap,
 * negative where the surfaces overlap (a penetration: in the mouth the teeth cannot, so it
 * shows the bite registration's error or a premature contact pressing into soft tissue).
 * Contacts are the connected patches closer than `contactMm`.
 */
import type { IndexedMesh } from '../mesh.js';
import { weldExact } from '../weld.js';
import { signedDistances } from './deviation.js';
import { summarisePatches, type Region, type RegionOptions } from './regions.js';
import { principalAxes } from './principal-axes.js';
import { prepareTarget } from './signed-distance.js';
import { vertexAreas } from './surface.js';

/** Options of `measureOcclusion`. */
export interface OcclusionOptions {
  /** Closer than this (mm) counts as contact (default 0.1). */
  contactMm?: number;
  /** Clearances beyond this (mm) are not measured (NaN): far from the bite they mean nothing and cost time. Default 3. */
  maxMm?: number;
  regions?: Omit<RegionOptions, 'threshold'>;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Summary of one jaw's clearance map, mm and mm². Field names are stable. */
export interface ClearanceStats {
  /** Smallest clearance (negative: deepest penetration); NaN when nothing is within `maxMm`. */
  minClearanceMm: number;
  /** Area closer than the contact distance (penetrations included). */
  contactAreaMm2: number;
  /** Area where the jaws overlap (clearance below 0). */
  penetrationAreaMm2: number;
  /** Deepest penetration as a positive number (0 when none). */
  maxPenetrationMm: number;
  /** Area within `maxMm` of the opposing jaw. */
  nearAreaMm2: number;
}

/** One jaw's side of the bite. */
export interface ClearanceMap {
  /** Per vertex of the (welded) jaw, mm; NaN beyond `maxMm`. */
  clearance: Float32Array;
  stats: ClearanceStats;
  /** Contact patches, largest first; `maxMm` is each patch's smallest clearance, `sign` −1 for a penetration. */
  contacts: Region[];
}

/** The bite of two jaws: each jaw's map, and the welded meshes they belong to. */
export interface Occlusion {
  upper: ClearanceMap;
  lower: ClearanceMap;
  upperMesh: IndexedMesh;
  lowerMesh: IndexedMesh;
  /** Contact distance used (mm). */
  contactMm: number;
  /** Unit vector from the upper jaw's centroid to the lower's: look from it to see the upper's biting surface, against it for the lower's. */
  upperToLower: [number, number, number];
}

/** Clearance of each jaw to the other (both in one frame). */
export function measureOcclusion(upper: IndexedMesh, lower: IndexedMesh, options: OcclusionOptions = {}): Occlusion {
  const contactMm = options.contactMm ?? 0.1;
  const maxMm = options.maxMm ?? 3;
  const progress = options.onProgress ?? (() => undefined);
  const upperMesh = weldExact(upper).mesh;
  const lowerMesh = weldExact(lower).mesh;
  progress(0, 'prepare');
  const upperTarget = prepareTarget(upperMesh);
  const lowerTarget = prepareTarget(lowerMesh);
  // Every vertex counts, also past the other jaw's border: a cusp reaching over the edge of
  // a scan still sits that close.
  const query = { maxDistance: maxMm, borderTolerance: Infinity };
  const up = signedDistances(upperMesh.positions, lowerTarget, query, (f) => progress(0.2 + 0.4 * f, 'upper'));
  const low = signedDistances(lowerMesh.positions, upperTarget, query, (f) => progress(0.6 + 0.4 * f, 'lower'));
  progress(1, 'done');
  return {
    upper: clearanceMap(upperMesh, up, contactMm, options.regions),
    lower: clearanceMap(lowerMesh, low, contactMm, options.regions),
    upperMesh,
    lowerMesh,
    contactMm,
    upperToLower: direction(principalAxes(upperMesh.positions).centroid, principalAxes(lowerMesh.positions).centroid),
  };
}

function clearanceMap(mesh: IndexedMesh, clearance: Float32Array, contactMm: number, regionOptions?: RegionOptions): ClearanceMap {
  const areas = vertexAreas(mesh.positions, mesh.indices);
  let min = Infinity, contact = 0, penetration = 0, near = 0;
  const classes = new Int8Array(clearance.length);
  for (let v = 0; v < clearance.length; v++) {
    const c = clearance[v];
    if (Number.isNaN(c)) continue;
    near += areas[v];
    if (c < min) min = c;
    if (c < contactMm) {
      contact += areas[v];
      classes[v] = 1;
    }
    if (c < 0) penetration += areas[v];
  }
  // Contact patches may be small (a cusp tip touching): keep them from a tenth of a mm².
  const contacts = summarisePatches(mesh.positions, mesh.indices, clearance, areas, classes, 'min', { minArea: 0.1, ...regionOptions });
  return {
    clearance,
    stats: {
      minClearanceMm: min === Infinity ? NaN : min,
      contactAreaMm2: contact,
      penetrationAreaMm2: penetration,
      maxPenetrationMm: min < 0 ? -min : 0,
      nearAreaMm2: near,
    },
    contacts,
  };
}

function direction(from: number[], to: number[]): [number, number, number] {
  const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const l = Math.hypot(d[0], d[1], d[2]) || 1;
  return [d[0] / l, d[1] / l, d[2] / l];
}
