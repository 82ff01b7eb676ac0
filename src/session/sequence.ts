/** Sequence_Id source: 32-bit, wrapping, never handing out an id that is still in flight (SPEC3 §8.3). */
export class SequenceIds {
  private next: number;

  constructor(start = 1) {
    this.next = start >>> 0;
  }

  take(inFlight: { has(id: number): boolean }): number {
    for (;;) {
      const id = this.next;
      this.next = (this.next + 1) >>> 0;
      if (!inFlight.has(id)) return id;
    }
  }
}
