import { type FaultSettings, parseFaults } from './fault-settings.js';

/** The fault settings in force and the dice rolled against them (one roll per decision that can happen). */
export class FaultInjector {
  private current: FaultSettings;

  constructor(
    settings: FaultSettings,
    private readonly random: () => number,
  ) {
    this.current = { ...settings };
  }

  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  /** Lays the keys present in `partial` over the current settings (PUT /faults); throws naming a bad key. */
  update(partial: unknown): Readonly<FaultSettings> {
    this.current = parseFaults(partial, this.current);
    return this.current;
  }

  dropResponse(): boolean {
    return this.roll(this.current.dropResponses);
  }

  /** The Result to reject a valid SUBMIT with, or undefined to let it through. */
  rejection(): number | undefined {
    return this.roll(this.current.rejectFraction) ? this.current.rejectResult : undefined;
  }

  /** Whether to close the link after answering its `submitsOnLink`-th SUBMIT (counting from 1). */
  disconnect(submitsOnLink: number): boolean {
    const { disconnectAfter, disconnectProbability } = this.current;
    return submitsOnLink === disconnectAfter || this.roll(disconnectProbability);
  }

  /** Never draws for a fraction of 0, so a scripted random source is only consumed by faults that are on. */
  private roll(fraction: number): boolean {
    return fraction > 0 && this.random() < fraction;
  }
}
