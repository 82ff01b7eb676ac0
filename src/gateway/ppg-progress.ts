import type { ProgressNote } from '../wap/index.js';

/** The stages of a push-message, in the order the PPG goes through them (replaced only with replace-push-id). */
export type PushStage = 'parsed' | 'validated' | 'compiled' | 'encoded' | 'replaced' | 'stored';

/**
 * The processing log of one push-message, kept when the PI asked for it with progress-notes-requested="true":
 * the push-response then carries one progress-note (stage, note, time) per stage passed before the answer
 * (facts §8 element table; S004: "include processing-log information in the response"). Each note is taken
 * when its stage has finished, with the time it finished.
 */
export class PushProgress {
  readonly notes: ProgressNote[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  note(stage: PushStage, note: string): void {
    this.notes.push({ stage, note, time: new Date(this.clock()) });
  }
}

/** "1 address", "3 addresses": notes are read by people. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
