/**
 * Reusable work buffers for the checks. A 1M-triangle check needs ~100 MB of typed arrays;
 * allocating them afresh each time costs more than the checks themselves (the first touch
 * of every new page is a page fault: ~50 ms per 100 MB here, against ~3 ms to clear the
 * same memory again). So each named buffer is kept between calls and grows when a bigger
 * mesh comes.
 *
 * A scratch array is valid until the next request for the same name: only code that
 * finishes with it before returning may use one, and nothing returned to a caller outside
 * the checks may be one. Workers each have their own module instance, so threads never share.
 */

const buffers = new Map<string, ArrayBufferLike>();
let sharedBuffers = false;

function take(name: string, bytes: number): ArrayBufferLike {
  let buffer = buffers.get(name);
  if (!buffer || buffer.byteLength < bytes) {
    // A little headroom so a slightly bigger next mesh does not reallocate.
    const size = Math.ceil((bytes * 1.125) / 8) * 8;
    buffer = sharedBuffers ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
    buffers.set(name, buffer);
  }
  return buffer;
}

/**
 * Make the buffers of this thread from now on SharedArrayBuffers, so that another thread
 * can read what the checks computed (the welded mesh) without a copy: `cusp inspect` hands
 * the welded mesh to its self-intersection thread this way. Only for a thread that never
 * transfers a scratch array (a SharedArrayBuffer cannot be transferred, only shared).
 */
export function useSharedScratch(): void {
  sharedBuffers = true;
}

/** A Uint32Array of `length` (contents undefined unless `zero`). */
export function scratchUint32(name: string, length: number, zero = false): Uint32Array {
  const a = new Uint32Array(take(name, 4 * length), 0, length);
  if (zero) a.fill(0);
  return a;
}

/** An Int32Array of `length` (contents undefined unless `zero`). */
export function scratchInt32(name: string, length: number, zero = false): Int32Array {
  const a = new Int32Array(take(name, 4 * length), 0, length);
  if (zero) a.fill(0);
  return a;
}

/** A Uint8Array of `length` (contents undefined unless `zero`). */
export function scratchUint8(name: string, length: number, zero = false): Uint8Array {
  const a = new Uint8Array(take(name, length), 0, length);
  if (zero) a.fill(0);
  return a;
}

/** A Float32Array of `length` (contents undefined unless `zero`). */
export function scratchFloat32(name: string, length: number, zero = false): Float32Array {
  const a = new Float32Array(take(name, 4 * length), 0, length);
  if (zero) a.fill(0);
  return a;
}

/** Let the buffers go (e.g. after a batch, in a long-lived process). */
export function releaseScratch(): void {
  buffers.clear();
}
