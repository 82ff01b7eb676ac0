import { MsgIdGenerator } from '../cmpp/index.js';

/**
 * The Msg_Id source of one simulator run. An id is the time to the second, the gateway code and a 16-bit
 * sequence (SPEC3 §8.4.3.2), so runs can only collide within one second, and nothing is persisted. The
 * sequence starts at the low 16 bits of the millisecond clock: a run started m ms after the previous one
 * starts m places further on, so their ids cannot meet as long as a run hands out fewer ids than it lives
 * milliseconds (under 1,000/s on average); starting at 0 would repeat the first ids of a crash loop. Within
 * a run ids repeat only beyond 65,536 per second, the limit of the layout.
 */
export function clockSeededMsgIds(gatewayCode: number, nowMs = Date.now()): MsgIdGenerator {
  return new MsgIdGenerator(gatewayCode, nowMs & 0xffff);
}
