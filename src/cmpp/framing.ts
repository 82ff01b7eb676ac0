import { HEADER_LENGTH } from './codec.js';
import { CmppProtocolError } from './errors.js';

/** Largest packet accepted by default: a 3.0 SUBMIT to 99 recipients with 255 content bytes is ~3.6 kB. */
export const DEFAULT_MAX_FRAME = 4096;

/**
 * Cuts a TCP byte stream into whole packets. Chunks may split or coalesce packets arbitrarily.
 * A Total_Length below the header size or above `maxFrame` throws CmppProtocolError; the stream
 * cannot be resynchronised after that, so the caller closes the link.
 */
export class Deframer {
  private pending: Buffer | null = null;

  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME) {}

  /** Feeds one chunk; calls `onFrame` for every whole packet it completes, in order. */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const total = buf.readUInt32BE(off);
      if (total < HEADER_LENGTH) {
        throw new CmppProtocolError(
          'FRAME_TOO_SHORT',
          `Total_Length ${total} is below ${HEADER_LENGTH}`,
          'Total_Length',
          off,
        );
      }
      if (total > this.maxFrame) {
        throw new CmppProtocolError(
          'FRAME_TOO_LONG',
          `Total_Length ${total} is above the maximum of ${this.maxFrame}`,
          'Total_Length',
          off,
        );
      }
      if (buf.length - off < total) break;
      onFrame(buf.subarray(off, off + total));
      off += total;
    }
    if (off < buf.length) this.pending = Buffer.from(buf.subarray(off));
  }

  /** Bytes received that do not yet form a whole packet. */
  get buffered(): number {
    return this.pending ? this.pending.length : 0;
  }
}
