import type { ClientState } from '../session/state.js';

/** One link as the dashboard shows it (no Node types here: web/ imports this file too). */
export interface LinkView {
  account: string;
  link: number;
  state: ClientState;
  reason: string | null;
  /** When the link entered this state. */
  since: number;
  version: string | null;
  inFlight: number;
  window: number;
  /** SUBMITs per second over the last second. */
  submitRate: number;
  lastHeartbeatAt: number | null;
}
