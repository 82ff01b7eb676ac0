import { ConfigReader } from './config-reader.js';

/** What the simulator does wrong on purpose. Set in the config (`faults:`) and changed at runtime (PUT /faults). */
export interface FaultSettings {
  /** Every SUBMIT_RESP is held back this long. */
  responseDelayMs: number;
  /** Share of SUBMIT_RESPs never sent; the SP's retransmission gets the same Msg_Id, never a second message. */
  dropResponses: number;
  /** Share of otherwise valid SUBMITs answered with `rejectResult`. */
  rejectFraction: number;
  rejectResult: number;
  /** Close a link right after answering its Nth SUBMIT; 0 = never. */
  disconnectAfter: number;
  /** Chance per SUBMIT of closing the link right after answering it. */
  disconnectProbability: number;
  /** Leave the SP's ACTIVE_TESTs unanswered, so that its heartbeat gives up on the link. */
  ignoreActiveTest: boolean;
}

export const NO_FAULTS: Readonly<FaultSettings> = {
  responseDelayMs: 0,
  dropResponses: 0,
  rejectFraction: 0,
  rejectResult: 8,
  disconnectAfter: 0,
  disconnectProbability: 0,
  ignoreActiveTest: false,
};

const FRACTION = { min: 0, max: 1 };

/** Reads the keys present in `value` over `base`; the key path of an error starts with `path`. */
export function parseFaults(value: unknown, base: Readonly<FaultSettings>, path = 'faults'): FaultSettings {
  const r = ConfigReader.of(value ?? {}, path);
  const faults: FaultSettings = {
    responseDelayMs: r.number(
      'responseDelayMs',
      { min: 0, max: 3_600_000, integer: true },
      base.responseDelayMs,
    ),
    dropResponses: r.number('dropResponses', FRACTION, base.dropResponses),
    rejectFraction: r.number('rejectFraction', FRACTION, base.rejectFraction),
    // Result is one byte in 2.0; 0 would not be a rejection.
    rejectResult: r.number('rejectResult', { min: 1, max: 255, integer: true }, base.rejectResult),
    disconnectAfter: r.number('disconnectAfter', { min: 0, integer: true }, base.disconnectAfter),
    disconnectProbability: r.number('disconnectProbability', FRACTION, base.disconnectProbability),
    ignoreActiveTest: r.boolean('ignoreActiveTest', base.ignoreActiveTest),
  };
  r.done();
  return faults;
}
