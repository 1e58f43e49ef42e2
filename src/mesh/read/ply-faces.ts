/**
 * PLY faces and triangle strips into a triangle index list. Faces are fanned as read and
 * each polygon of more than three corners listed in `polygons`, for `retriangulateFans`
 * once the vertices are known (a concave polygon's fan overlaps itself);
 * strips (`tristrips`, -1 restarts) alternate their winding so every triangle faces the same
 * way, and their index-degenerate stitching triangles are dropped. A binary face element
 * holding only its index list is read in one tight loop.
 */
import type { IndexList } from './growable.js';
import { AsciiPlyBody, BinaryPlyBody, badList, binaryValue, ranOut, skipList, type PlyBody } from './ply-body.js';
import { PLY_SIZE, type PlyElement, type PlyScalar } from './ply-header.js';

/** The index of the list property holding vertex indices, or -1. */
export function indexProperty(element: PlyElement): number {
  const props = element.properties;
  const named = props.findIndex((p) => p.countType && (p.name === 'vertex_indices' || p.name === 'vertex_index'));
  return named >= 0 ? named : props.findIndex((p) => p.countType !== undefined);
}

/** Read faces or strips into `out`; returns the largest vertex index used. */
export function readFaces(element: PlyElement, body: PlyBody, out: IndexList, name: string, polygons: IndexList): number {
  if (element.name !== 'tristrips' && body instanceof BinaryPlyBody && element.properties.length === 1) {
    return readBinaryFaces(element, body, out, name, polygons);
  }
  if (element.name !== 'tristrips' && body instanceof AsciiPlyBody && element.properties.length === 1) {
    return readTextFaces(element, body, out, name, polygons);
  }
  const strips = element.name === 'tristrips';
  const which = indexProperty(element);
  const props = element.properties;
  let max = -1;
  for (let i = 0; i < element.count; i++) {
    for (let k = 0; k < props.length; k++) {
      const prop = props[k];
      if (k !== which) {
        if (prop.countType) skipList(prop.countType, prop.type, body);
        else body.value(prop.type);
        continue;
      }
      const n = body.value(prop.countType as PlyScalar);
      if (body.short) ranOut(element, i, name);
      if (!Number.isInteger(n) || n < 0) badList(element, i, `a vertex count of ${n}`, name);
      const list: ListAt = { element, i, name, type: prop.type };
      const top = strips ? readStrip(body, n, list, out) : readFace(body, n, list, out, polygons);
      if (top > max) max = top;
    }
    if (body.short) ranOut(element, i, name);
  }
  return max;
}

/** Which list is being read, for its values' type and for messages. */
interface ListAt {
  element: PlyElement;
  /** The row. */
  i: number;
  name: string;
  type: PlyScalar;
}

/** The next vertex index of a list (-1 passes, for a strip's restart); rejects a non-index. */
function nextIndex(body: PlyBody, at: ListAt, restartOk: boolean): number {
  const c = body.value(at.type);
  if (body.short) ranOut(at.element, at.i, at.name);
  if (restartOk && c === -1) return c;
  if (!Number.isInteger(c) || c < 0) badList(at.element, at.i, `vertex index ${c}`, at.name);
  return c;
}

/** One face's `n` indices, fanned into `out` (a polygon also listed in `polygons`); returns its largest index. */
function readFace(body: PlyBody, n: number, at: ListAt, out: IndexList, polygons: IndexList): number {
  if (n < 3) badList(at.element, at.i, `${n} vertices (a face needs at least 3)`, at.name);
  if (n > 3) polygons.push3(out.length, n, 0);
  let max = -1;
  let a = -1;
  let b = -1;
  for (let j = 0; j < n; j++) {
    const c = nextIndex(body, at, false);
    if (c > max) max = c;
    if (j === 0) a = c;
    else if (j === 1) b = c;
    else {
      out.push3(a, b, c);
      b = c;
    }
  }
  return max;
}

/**
 * One strip's `n` indices into `out`: triangle k is (s[k], s[k+1], s[k+2]), every other one
 * flipped; -1 restarts; index-degenerate stitching triangles are dropped. Returns its largest index.
 */
function readStrip(body: PlyBody, n: number, at: ListAt, out: IndexList): number {
  let max = -1;
  let a = -1;
  let b = -1;
  let parity = 0;
  for (let j = 0; j < n; j++) {
    const c = nextIndex(body, at, true);
    if (c === -1) {
      a = b = -1;
      parity = 0;
      continue;
    }
    if (c > max) max = c;
    if (a >= 0 && b >= 0 && a !== b && b !== c && a !== c) {
      if (parity === 0) out.push3(a, b, c);
      else out.push3(b, a, c);
    }
    if (a >= 0 && b >= 0) parity ^= 1;
    a = b;
    b = c;
  }
  return max;
}

function readBinaryFaces(element: PlyElement, body: BinaryPlyBody, out: IndexList, name: string, polygons: IndexList): number {
  const prop = element.properties[0];
  const countType = prop.countType as PlyScalar;
  const type = prop.type;
  const csize = PLY_SIZE[countType];
  const isize = PLY_SIZE[type];
  const { view, le } = body;
  const end = view.byteLength;
  let at = body.pos;
  let max = -1;
  for (let i = 0; i < element.count; i++) {
    if (at + csize > end) ranOut(element, i, name);
    const n = binaryValue(view, at, countType, le);
    at += csize;
    if (!(n >= 3)) badList(element, i, n < 0 ? `a vertex count of ${n}` : `${n} vertices (a face needs at least 3)`, name);
    if (at + n * isize > end) ranOut(element, i, name);
    if (n > 3) polygons.push3(out.length, n, 0);
    const a = binaryValue(view, at, type, le);
    let b = binaryValue(view, at + isize, type, le);
    if (a < 0 || b < 0 || !Number.isInteger(a) || !Number.isInteger(b)) badList(element, i, `vertex index ${a < 0 ? a : b}`, name);
    if (a > max) max = a;
    if (b > max) max = b;
    for (let j = 2; j < n; j++) {
      const c = binaryValue(view, at + j * isize, type, le);
      if (c < 0 || !Number.isInteger(c)) badList(element, i, `vertex index ${c}`, name);
      if (c > max) max = c;
      out.push3(a, b, c);
      b = c;
    }
    at += n * isize;
  }
  body.pos = at;
  return max;
}

/** ASCII faces holding only their index list: the count, then the list in one call each. */
function readTextFaces(element: PlyElement, body: AsciiPlyBody, out: IndexList, name: string, polygons: IndexList): number {
  const count = new Float64Array(1);
  let list = new Float64Array(16);
  let max = -1;
  for (let i = 0; i < element.count; i++) {
    if (!body.numbers(count, 1)) ranOut(element, i, name);
    const n = count[0];
    if (!Number.isInteger(n) || n < 3) badList(element, i, n < 0 || !Number.isInteger(n) ? `a vertex count of ${n}` : `${n} vertices (a face needs at least 3)`, name);
    // Each index takes two bytes at least: a count beyond that is a lie, not an allocation.
    if (n > list.length) {
      if (n * 2 - 1 > body.remaining()) ranOut(element, i, name);
      list = new Float64Array(n);
    }
    if (!body.numbers(list, n)) ranOut(element, i, name);
    if (n > 3) polygons.push3(out.length, n, 0);
    const a = list[0];
    let b = list[1];
    for (let j = 0; j < n; j++) {
      const c = list[j];
      if (!Number.isInteger(c) || c < 0) badList(element, i, `vertex index ${c}`, name);
      if (c > max) max = c;
      if (j >= 2) {
        out.push3(a, b, c);
        b = c;
      }
    }
  }
  return max;
}
