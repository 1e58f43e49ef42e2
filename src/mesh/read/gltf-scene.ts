/**
 * The glTF node graph → a flat list of (mesh, world matrix) draws: the default scene's
 * node trees with `matrix` or TRS transforms, meshes used by several nodes, and
 * EXT_mesh_gpu_instancing instances. A cycle in the graph, a node with two parents or a
 * child index out of range is refused, so traversal always ends.
 */
import type { AccessorReader } from './gltf-accessor.js';
import type { Json } from './gltf-container.js';
import { type Mat4, fromTRS, identity, multiply } from './mat4.js';
import { meshRejected } from './rejection.js';

export interface Draw {
  mesh: number;
  matrix: Mat4;
  /** Node name, for group names. */
  node: string;
}

export interface SceneDraws {
  draws: Draw[];
  /** Instances added by EXT_mesh_gpu_instancing. */
  instances: number;
  /** True when some draw has a non-identity transform. */
  transformed: boolean;
}

/** Walk the default scene (or all root nodes, or all meshes) into draws. */
export function sceneDraws(json: Json, reader: AccessorReader, name: string, format: 'gltf' | 'glb'): SceneDraws {
  const invalid: (what: string) => never = (what) => {
    throw meshRejected(format, 'invalid_structure', `${name}: ${what} — the glTF is invalid; export it again`);
  };
  const nodes = Array.isArray(json.nodes) ? (json.nodes as Json[]) : [];
  const meshCount = Array.isArray(json.meshes) ? json.meshes.length : 0;
  const children = nodes.map((node, i) => {
    if (!node || typeof node !== 'object') invalid(`node ${i} is not an object`);
    const list = node.children === undefined ? [] : node.children;
    if (!Array.isArray(list) || list.some((c) => !Number.isInteger(c) || c < 0 || c >= nodes.length)) {
      invalid(`node ${i} has a child index that is not a node`);
    }
    if (node.mesh !== undefined && (!Number.isInteger(node.mesh) || (node.mesh as number) < 0 || (node.mesh as number) >= meshCount)) {
      invalid(`node ${i} refers to mesh ${String(node.mesh)}, which does not exist`);
    }
    return list as number[];
  });
  const cycle = findCycle(children);
  if (cycle >= 0) invalid(`node ${cycle} is its own descendant (a cycle in the node graph)`);
  const parents = new Uint32Array(nodes.length);
  for (const list of children) for (const c of list) parents[c]++;
  const twice = parents.findIndex((n) => n > 1);
  if (twice >= 0) invalid(`node ${twice} is the child of several nodes`);

  let roots: number[];
  const scenes = Array.isArray(json.scenes) ? (json.scenes as Json[]) : [];
  if (scenes.length > 0) {
    const index = json.scene === undefined ? 0 : json.scene;
    const scene = typeof index === 'number' ? scenes[index] : undefined;
    if (!scene || typeof scene !== 'object') invalid(`the default scene ${String(index)} does not exist`);
    roots = (Array.isArray(scene.nodes) ? scene.nodes : []) as number[];
    if (roots.some((r) => !Number.isInteger(r) || r < 0 || r >= nodes.length)) invalid('the scene lists a node that does not exist');
  } else if (nodes.length > 0) {
    roots = nodes.map((_, i) => i).filter((i) => parents[i] === 0);
  } else {
    // No node graph at all: each mesh once, untransformed.
    return { draws: Array.from({ length: meshCount }, (_, mesh) => ({ mesh, matrix: identity(), node: '' })), instances: 0, transformed: false };
  }

  const draws: Draw[] = [];
  let instances = 0;
  let transformed = false;
  const seen = new Uint8Array(nodes.length);
  const stack: { node: number; parent: Mat4 }[] = roots.map((node) => ({ node, parent: identity() }));
  while (stack.length > 0) {
    const { node: index, parent } = stack.pop() as { node: number; parent: Mat4 };
    // A root also listed as a child would be drawn twice.
    if (seen[index]) continue;
    seen[index] = 1;
    const node = nodes[index];
    const local = localMatrix(node, index, invalid);
    if (local) transformed = true;
    const world = local ? multiply(parent, local) : parent;
    if (typeof node.mesh === 'number') {
      const perInstance = instanceMatrices(node, index, reader, invalid);
      if (perInstance) {
        instances += perInstance.length;
        transformed = true;
        for (const m of perInstance) draws.push({ mesh: node.mesh, matrix: multiply(world, m), node: nodeName(node) });
      } else {
        draws.push({ mesh: node.mesh, matrix: world, node: nodeName(node) });
      }
    }
    for (const c of children[index]) stack.push({ node: c, parent: world });
  }
  return { draws, instances, transformed };
}

function nodeName(node: Json): string {
  return typeof node.name === 'string' ? node.name : '';
}

/** Index of a node on a cycle, or -1 (iterative three-colour depth-first search). */
function findCycle(children: number[][]): number {
  const state = new Uint8Array(children.length); // 0 new, 1 on the current path, 2 done
  for (let start = 0; start < children.length; start++) {
    if (state[start] !== 0) continue;
    const stack: { node: number; next: number }[] = [{ node: start, next: 0 }];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const list = children[top.node];
      if (top.next < list.length) {
        const c = list[top.next++];
        if (state[c] === 1) return c;
        if (state[c] === 0) {
          state[c] = 1;
          stack.push({ node: c, next: 0 });
        }
      } else {
        state[top.node] = 2;
        stack.pop();
      }
    }
  }
  return -1;
}

/** The node's own transform, or undefined when it has none. */
function localMatrix(node: Json, index: number, invalid: (what: string) => never): Mat4 | undefined {
  const numbers = (v: unknown, n: number): v is number[] => Array.isArray(v) && v.length === n && v.every((x) => Number.isFinite(x));
  if (node.matrix !== undefined) {
    if (!numbers(node.matrix, 16)) invalid(`node ${index} has a matrix that is not 16 finite numbers`);
    return Float64Array.from(node.matrix as number[]);
  }
  const { translation: t, rotation: r, scale: s } = node;
  if (t === undefined && r === undefined && s === undefined) return undefined;
  if (t !== undefined && !numbers(t, 3)) invalid(`node ${index} has an invalid translation`);
  if (r !== undefined && !numbers(r, 4)) invalid(`node ${index} has an invalid rotation`);
  if (s !== undefined && !numbers(s, 3)) invalid(`node ${index} has an invalid scale`);
  return fromTRS((t as number[]) ?? [0, 0, 0], (r as number[]) ?? [0, 0, 0, 1], (s as number[]) ?? [1, 1, 1]);
}

/** One instancing attribute (TRANSLATION, ROTATION or SCALE) of `size` floats per instance, or undefined if absent. */
function instanceAttribute(
  attrs: Json, key: 'TRANSLATION' | 'ROTATION' | 'SCALE', size: number, fallback: number[], what: string, reader: AccessorReader,
): { count: number | undefined; at: (i: number) => ArrayLike<number>; sizeOk: boolean } {
  if (attrs[key] === undefined) return { count: undefined, at: () => fallback, sizeOk: true };
  const a = reader.read(attrs[key], 'float', `${what} ${key}`);
  return { count: a.count, at: (i) => a.values.subarray(i * size, i * size + size), sizeOk: a.size === size };
}

/** EXT_mesh_gpu_instancing: one matrix per instance, or undefined without the extension. */
function instanceMatrices(node: Json, index: number, reader: AccessorReader, invalid: (what: string) => never): Mat4[] | undefined {
  const ext = (node.extensions as Json | undefined)?.EXT_mesh_gpu_instancing as Json | undefined;
  const attrs = ext?.attributes as Json | undefined;
  if (!attrs) return undefined;
  const what = `node ${index} instancing`;
  const t = instanceAttribute(attrs, 'TRANSLATION', 3, [0, 0, 0], what, reader);
  const r = instanceAttribute(attrs, 'ROTATION', 4, [0, 0, 0, 1], what, reader);
  const s = instanceAttribute(attrs, 'SCALE', 3, [1, 1, 1], what, reader);
  const count = t.count ?? r.count ?? s.count ?? 0;
  if ([t, r, s].some((a) => (a.count !== undefined && a.count !== count) || !a.sizeOk)) {
    invalid(`the instancing attributes of node ${index} differ in count or type`);
  }
  const matrices: Mat4[] = [];
  for (let i = 0; i < count; i++) matrices.push(fromTRS(t.at(i), r.at(i), s.at(i)));
  return matrices;
}
