/**
 * glTF accessors: typed, possibly strided, possibly normalised views into buffers, with
 * sparse substitution. Every offset is checked against the buffer view and the buffer
 * before any read, so an accessor cannot reach past the data it owns.
 */
import { type GltfBuffers, type Json } from './gltf-container.js';
import { meshRejected } from './rejection.js';

const COMPONENT_SIZE: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const TYPE_SIZE: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };

export interface Accessor {
  count: number;
  /** Components per element. */
  size: number;
  /** Values, `count × size`, normalisation applied. */
  values: Float32Array | Uint32Array;
}

export class AccessorReader {
  private readonly cache = new Map<string, Accessor>();

  constructor(
    private readonly json: Json,
    private readonly buffers: GltfBuffers,
    private readonly name: string,
    private readonly format: 'gltf' | 'glb',
    /** Largest number of bytes an accessor without data may expand to. */
    private readonly zeroFillLimit: number,
  ) {}

  /** Read accessor `index` as floats (attributes) or integers (indices). */
  read(index: unknown, as: 'float' | 'uint', what: string): Accessor {
    const key = `${String(index)}:${as}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const def = this.def('accessors', index, what);
    const componentType = def.componentType as number;
    const componentSize = COMPONENT_SIZE[componentType];
    const size = TYPE_SIZE[def.type as string];
    const count = def.count;
    if (!componentSize || !size || typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      this.invalid(`accessor ${String(index)} (${what}) has an invalid type, component type or count`);
    }
    const normalized = def.normalized === true;
    const total = count * size;
    let values: Float32Array | Uint32Array;
    if (def.bufferView === undefined) {
      // Zero-initialised per the spec (usually overridden by sparse); never trust a huge count.
      if (total * 4 > this.zeroFillLimit) this.invalid(`accessor ${String(index)} (${what}) claims ${count} elements without any data`);
      values = as === 'float' ? new Float32Array(total) : new Uint32Array(total);
    } else {
      const { bytes, stride } = this.view(def.bufferView, what);
      const offset = typeof def.byteOffset === 'number' ? def.byteOffset : 0;
      const elementBytes = componentSize * size;
      const step = stride || elementBytes;
      if (count > 0 && (offset < 0 || offset + step * (count - 1) + elementBytes > bytes.length)) {
        this.truncated(`accessor ${String(index)} (${what}) reaches past the end of its buffer view`);
      }
      values = as === 'float' ? new Float32Array(total) : new Uint32Array(total);
      readElements(bytes, offset, step, componentType, size, count, normalized && as === 'float', values);
    }
    if (def.sparse !== undefined) this.applySparse(def.sparse as Json, index, what, componentType, size, count, normalized && as === 'float', values);
    const accessor = { count, size, values };
    this.cache.set(key, accessor);
    return accessor;
  }

  private applySparse(
    sparse: Json,
    index: unknown,
    what: string,
    componentType: number,
    size: number,
    count: number,
    normalize: boolean,
    values: Float32Array | Uint32Array,
  ): void {
    const n = sparse.count;
    const idx = sparse.indices as Json | undefined;
    const val = sparse.values as Json | undefined;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > count || !idx || !val) {
      this.invalid(`accessor ${String(index)} (${what}) has an invalid sparse block`);
    }
    const idxType = idx.componentType as number;
    if (idxType !== 5121 && idxType !== 5123 && idxType !== 5125) this.invalid(`accessor ${String(index)} has sparse indices of an invalid type`);
    const idxView = this.view(idx.bufferView, what).bytes;
    const idxOffset = typeof idx.byteOffset === 'number' ? idx.byteOffset : 0;
    const valView = this.view(val.bufferView, what).bytes;
    const valOffset = typeof val.byteOffset === 'number' ? val.byteOffset : 0;
    const idxSize = COMPONENT_SIZE[idxType];
    const valSize = COMPONENT_SIZE[componentType] * size;
    if (idxOffset < 0 || idxOffset + idxSize * n > idxView.length || valOffset < 0 || valOffset + valSize * n > valView.length) {
      this.truncated(`the sparse block of accessor ${String(index)} (${what}) reaches past its buffer view`);
    }
    const where = new Uint32Array(n);
    readElements(idxView, idxOffset, idxSize, idxType, 1, n, false, where);
    const replacement = values instanceof Float32Array ? new Float32Array(n * size) : new Uint32Array(n * size);
    readElements(valView, valOffset, valSize, componentType, size, n, normalize, replacement);
    for (let i = 0; i < n; i++) {
      const target = where[i];
      if (target >= count) this.invalid(`the sparse block of accessor ${String(index)} (${what}) replaces element ${target} of ${count}`);
      for (let k = 0; k < size; k++) values[target * size + k] = replacement[i * size + k];
    }
  }

  /** A buffer view's bytes and stride, bounds-checked against its buffer. */
  private view(index: unknown, what: string): { bytes: Uint8Array; stride: number } {
    const def = this.def('bufferViews', index, what);
    const buffer = this.buffers.get(def.buffer as number);
    const offset = typeof def.byteOffset === 'number' ? def.byteOffset : 0;
    const length = def.byteLength;
    if (typeof length !== 'number' || length < 0 || offset < 0 || offset + length > buffer.length) {
      this.truncated(`buffer view ${String(index)} (${what}) reaches past the end of buffer ${String(def.buffer)}`);
    }
    const stride = typeof def.byteStride === 'number' ? def.byteStride : 0;
    return { bytes: buffer.subarray(offset, offset + length), stride };
  }

  /** Definition `index` of the top-level array `kind`, or a rejection naming it. */
  def(kind: string, index: unknown, what: string): Json {
    const list = this.json[kind];
    const def = Array.isArray(list) && typeof index === 'number' ? (list[index] as unknown) : undefined;
    if (!def || typeof def !== 'object') this.invalid(`${what} refers to ${kind} ${String(index)}, which does not exist`);
    return def as Json;
  }

  private invalid(what: string): never {
    throw meshRejected(this.format, 'invalid_structure', `${this.name}: ${what} — the glTF is inconsistent; export it again`);
  }

  private truncated(what: string): never {
    throw meshRejected(this.format, 'truncated', `${this.name}: ${what} — the file or its .bin is cut short; copy or export it again`);
  }
}

/** Copy `count` elements of `size` components from `bytes` into `out`, normalising if asked. */
function readElements(
  bytes: Uint8Array,
  offset: number,
  stride: number,
  componentType: number,
  size: number,
  count: number,
  normalize: boolean,
  out: Float32Array | Uint32Array,
): void {
  if (fastCopy(bytes, offset, stride, componentType, size, count, normalize, out)) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csize = COMPONENT_SIZE[componentType];
  let o = 0;
  for (let i = 0; i < count; i++) {
    let at = offset + i * stride;
    for (let k = 0; k < size; k++, at += csize) {
      let v: number;
      switch (componentType) {
        case 5126: v = view.getFloat32(at, true); break;
        case 5125: v = view.getUint32(at, true); break;
        case 5123: v = view.getUint16(at, true); if (normalize) v /= 65535; break;
        case 5121: v = view.getUint8(at); if (normalize) v /= 255; break;
        case 5122: v = view.getInt16(at, true); if (normalize) v = Math.max(v / 32767, -1); break;
        default: v = view.getInt8(at); if (normalize) v = Math.max(v / 127, -1); break;
      }
      out[o++] = v;
    }
  }
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Tightly packed, aligned float32 / uint32 / uint16 data copied through a typed-array view
 * (glTF data is little endian, so only on a little-endian host). False when not applicable.
 */
function fastCopy(
  bytes: Uint8Array,
  offset: number,
  stride: number,
  componentType: number,
  size: number,
  count: number,
  normalize: boolean,
  out: Float32Array | Uint32Array,
): boolean {
  const csize = COMPONENT_SIZE[componentType];
  const at = bytes.byteOffset + offset;
  if (!LITTLE_ENDIAN_HOST || normalize || stride !== csize * size || at % csize !== 0) return false;
  const n = count * size;
  if (componentType === 5126 && out instanceof Float32Array) out.set(new Float32Array(bytes.buffer, at, n));
  else if (componentType === 5125 && out instanceof Uint32Array) out.set(new Uint32Array(bytes.buffer, at, n));
  else if (componentType === 5123 && out instanceof Uint32Array) out.set(new Uint16Array(bytes.buffer, at, n));
  else return false;
  return true;
}
