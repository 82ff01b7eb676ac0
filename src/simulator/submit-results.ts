/** SUBMIT_RESP Result codes the simulator gives (SPEC3 §8.4.3.2; facts §4). */
export const RESULT = {
  OK: 0,
  STRUCTURE: 1,
  DUPLICATE_SEQUENCE: 3,
  LENGTH: 4,
  FEE_CODE: 5,
  TOO_LONG: 6,
  FLOW_CONTROL: 8,
  SRC_ID: 10,
  MSG_SRC: 11,
  FEE_TERMINAL_ID: 12,
  DEST_TERMINAL_ID: 13,
} as const;
