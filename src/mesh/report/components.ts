/**
 * Connected components: groups of triangles joined through shared edges (two triangles that
 * touch only at a corner are separate pieces, as in Open3D's cluster_connected_triangles).
 */
import { scratchUint32 } from './scratch.js';
import { findRoot } from './union-find.js';

/** Components with their sizes in triangles. */
export interface ComponentStats {
  count: number;
  /** Triangles per component, largest first, at most `MAX_LISTED` entries. */
  sizes: number[];
  /** Every component's size, largest first. */
  all: Uint32Array;
}

/** How many component sizes a report lists: a shredded mesh can have a million pieces. */
export const MAX_LISTED = 100;

/** Count the sets of the triangle forest built by the edge pass and list their sizes. */
export function componentStats(triangleSets: Int32Array): ComponentStats {
  const n = triangleSets.length;
  const size = scratchUint32('components.size', n, true);
  let count = 0;
  for (let t = 0; t < n; t++) {
    const root = findRoot(triangleSets, t);
    if (size[root]++ === 0) count++;
  }
  const all = new Uint32Array(count);
  let k = 0;
  for (let t = 0; t < n; t++) if (size[t] > 0) all[k++] = size[t];
  all.sort();
  const sizes: number[] = [];
  for (let i = count - 1; i >= count - MAX_LISTED && i >= 0; i--) sizes.push(all[i]);
  return { count, sizes, all: all.reverse() };
}
