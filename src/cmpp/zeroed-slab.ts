/*
 * Zero-filled packet buffers without paying Buffer.alloc's per-call cost (~1 µs for a SUBMIT, more than
 * the whole encode): small buffers are cut from a pre-zeroed slab, and a full slab is replaced, never
 * refilled, so buffers already handed out stay as they were.
 */

const SLAB_SIZE = 64 * 1024;
const MAX_FROM_SLAB = 4096;

let slab = Buffer.alloc(SLAB_SIZE);
let used = 0;

export function allocZeroed(size: number): Buffer {
  if (size > MAX_FROM_SLAB) return Buffer.alloc(size);
  if (used + size > SLAB_SIZE) {
    slab = Buffer.alloc(SLAB_SIZE);
    used = 0;
  }
  const buf = slab.subarray(used, used + size);
  used += size;
  return buf;
}
