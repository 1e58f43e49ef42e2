/**
 * OBJ indexes positions, texture coordinates and normals separately (`f v/vt/vn`); an
 * IndexedMesh has one index per corner. When every position is always paired with the same
 * vt and vn (the usual case for scanner exports), the positions are kept exactly as stored
 * and uvs/normals are laid out per position. Otherwise each distinct (v, vt, vn) triple
 * becomes one vertex — the minimum split, not a weld: identical positions listed twice in
 * the file stay two vertices.
 */

/** Marks a corner without a texture coordinate or normal. */
export const NO_INDEX = 0xffffffff;
const UNSET = 0xfffffffe;

export interface ObjAttributes {
  positions: Float32Array;
  colors?: Uint8Array;
  /** vt values, 2 per entry. */
  texcoords: Float32Array;
  /** vn values, 3 per entry. */
  normals: Float32Array;
  /** Per corner, 0-based: position index, texcoord index or NO_INDEX, normal index or NO_INDEX. */
  cornerV: Uint32Array;
  cornerT?: Uint32Array;
  cornerN?: Uint32Array;
}

export interface ObjVertices {
  positions: Float32Array;
  indices: Uint32Array;
  colors?: Uint8Array;
  uvs?: Float32Array;
  normals?: Float32Array;
}

/** Turn OBJ's separate index streams into one vertex per distinct corner. */
export function buildObjVertices(a: ObjAttributes): ObjVertices {
  const { cornerV, cornerT, cornerN } = a;
  if (!cornerT && !cornerN) return { positions: a.positions, indices: cornerV, colors: a.colors };
  const vertexCount = a.positions.length / 3;
  const tOf = cornerT ? perPosition(cornerV, cornerT, vertexCount) : undefined;
  const nOf = cornerN ? perPosition(cornerV, cornerN, vertexCount) : undefined;
  if ((!cornerT || tOf) && (!cornerN || nOf)) {
    return {
      positions: a.positions,
      indices: cornerV,
      colors: a.colors,
      uvs: tOf ? gather(a.texcoords, 2, tOf) : undefined,
      normals: nOf ? gather(a.normals, 3, nOf) : undefined,
    };
  }
  return split(a);
}

/** For each position the single attribute index its corners use, or undefined if they differ. */
function perPosition(cornerV: Uint32Array, cornerX: Uint32Array, vertexCount: number): Uint32Array | undefined {
  const of = new Uint32Array(vertexCount).fill(UNSET);
  for (let i = 0; i < cornerV.length; i++) {
    const v = cornerV[i];
    const x = cornerX[i];
    if (of[v] === UNSET) of[v] = x;
    else if (of[v] !== x) return undefined;
  }
  return of;
}

/** Attribute values laid out by `which` (zeros where a vertex has none). */
function gather(values: Float32Array, size: number, which: Uint32Array): Float32Array {
  const out = new Float32Array(which.length * size);
  for (let i = 0; i < which.length; i++) {
    const w = which[i];
    if (w >= UNSET) continue;
    for (let k = 0; k < size; k++) out[i * size + k] = values[w * size + k];
  }
  return out;
}

function split(a: ObjAttributes): ObjVertices {
  const { cornerV } = a;
  const cornerT = a.cornerT ?? new Uint32Array(cornerV.length).fill(NO_INDEX);
  const cornerN = a.cornerN ?? new Uint32Array(cornerV.length).fill(NO_INDEX);
  const corners = cornerV.length;
  let capacity = 16;
  while (capacity < corners * 2) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity).fill(-1);
  const outV = new Uint32Array(corners);
  const outT = new Uint32Array(corners);
  const outN = new Uint32Array(corners);
  const indices = new Uint32Array(corners);
  let count = 0;
  for (let i = 0; i < corners; i++) {
    const v = cornerV[i];
    const t = cornerT[i];
    const n = cornerN[i];
    let h = (Math.imul(v, 0x9e3779b1) ^ Math.imul(t, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35)) & mask;
    while (true) {
      const id = table[h];
      if (id < 0) {
        table[h] = count;
        outV[count] = v;
        outT[count] = t;
        outN[count] = n;
        indices[i] = count++;
        break;
      }
      if (outV[id] === v && outT[id] === t && outN[id] === n) {
        indices[i] = id;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  const which = outV.subarray(0, count);
  const usedT = a.cornerT ? outT.subarray(0, count) : undefined;
  const usedN = a.cornerN ? outN.subarray(0, count) : undefined;
  return {
    positions: gather(a.positions, 3, which),
    indices,
    colors: a.colors ? gatherBytes(a.colors, which) : undefined,
    uvs: usedT ? gather(a.texcoords, 2, usedT) : undefined,
    normals: usedN ? gather(a.normals, 3, usedN) : undefined,
  };
}

function gatherBytes(colors: Uint8Array, which: Uint32Array): Uint8Array {
  const out = new Uint8Array(which.length * 4);
  for (let i = 0; i < which.length; i++) out.set(colors.subarray(which[i] * 4, which[i] * 4 + 4), i * 4);
  return out;
}
