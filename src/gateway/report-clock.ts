/**
 * When each SUBMIT that asked for a report was written, by the Msg_Id its SUBMIT_RESP gave, until the
 * report arrives (on any link of the account). Bounded: the oldest entries go first, so reports that
 * never come cost no memory beyond `max` entries.
 */
export class ReportClock {
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  start(msgId: string, at: number): void {
    this.sentAt.set(msgId, at);
    if (this.sentAt.size > this.max) this.sentAt.delete(this.sentAt.keys().next().value as string);
  }

  /** The SUBMIT's time, once: a repeated report finds nothing. */
  stop(msgId: string): number | undefined {
    const at = this.sentAt.get(msgId);
    if (at !== undefined) this.sentAt.delete(msgId);
    return at;
  }
}
