import type { SubmitRecord } from './submit-record.js';

/**
 * One link's SUBMITs by Sequence_Id, so that a retransmission (the same Sequence_Id, SPEC3 §7.1) gets the
 * first answer again and creates nothing. Two parts: the last `recentCapacity` SUBMITs, direct-mapped on
 * Sequence_Id (an SP numbers its requests consecutively), for retransmissions that cross a late answer; and
 * every SUBMIT whose answer was dropped or is being delayed, until an answer is sent, because its
 * retransmission comes T later, after any number of other requests. An SP has at most its window of those
 * outstanding; `heldCapacity` bounds them against one that never retransmits.
 */
export class SubmitHistory {
  private readonly recent: (SubmitRecord | undefined)[];
  private readonly held = new Map<number, SubmitRecord>();

  constructor(
    private readonly recentCapacity = 1024,
    private readonly heldCapacity = 1024,
  ) {
    this.recent = new Array(recentCapacity);
  }

  find(sequenceId: number): SubmitRecord | undefined {
    const recent = this.recent[sequenceId % this.recentCapacity];
    return recent?.pdu.sequenceId === sequenceId ? recent : this.held.get(sequenceId);
  }

  remember(record: SubmitRecord): void {
    this.recent[record.pdu.sequenceId % this.recentCapacity] = record;
  }

  /** Its answer was dropped or is being delayed: keep it until one is sent. */
  hold(record: SubmitRecord): void {
    this.held.set(record.pdu.sequenceId, record);
    if (this.held.size > this.heldCapacity) this.held.delete(this.held.keys().next().value as number);
  }

  /** An answer was sent. */
  release(record: SubmitRecord): void {
    this.held.delete(record.pdu.sequenceId);
  }
}
