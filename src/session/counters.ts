/** Plain counters of one session, for metrics and the dashboard. */
export interface SessionCounters {
  submits: number;
  /** SUBMIT_RESPs by Result. */
  submitResults: Record<number, number>;
  delivers: number;
  retransmits: number;
  heartbeatsSent: number;
  heartbeatsAnswered: number;
  reconnects: number;
  pdusIn: number;
  pdusOut: number;
}

export function newCounters(): SessionCounters {
  return {
    submits: 0,
    submitResults: {},
    delivers: 0,
    retransmits: 0,
    heartbeatsSent: 0,
    heartbeatsAnswered: 0,
    reconnects: 0,
    pdusIn: 0,
    pdusOut: 0,
  };
}
