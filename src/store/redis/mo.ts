import type { MoPart, MoView, NewMo, Page, WebhookEvent } from '../types.js';
import type { RedisContext } from './context.js';
import { SEP } from './keys.js';

const JSON_TYPE = 'application/json';

type PartJson = Omit<MoPart, 'payload'> & { payload: string };

function partOf(json: string): MoPart {
  const p = JSON.parse(json) as PartJson;
  return { ...p, payload: Buffer.from(p.payload, 'hex') };
}

/** Parts from a group hash's HGETALL pairs, by seq (the `total` field left out). */
function partsOf(pairs: string[]): MoPart[] {
  const parts: MoPart[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] !== 'total') parts.push(partOf(pairs[i + 1]));
  return parts.sort((a, b) => a.seq - b.seq);
}

/** MO (a JSON string each), their lists, and long-MO parts (a HASH per group). */
export class RedisMo {
  constructor(
    private readonly ctx: RedisContext,
    /** How long a consumed part's Msg_Id is remembered, so that a redelivery of it is ignored. */
    private readonly consumedTtlMs: number,
  ) {}

  async insert(
    mo: NewMo,
    webhook?: WebhookEvent,
    completes?: { account: string; groupKey: string },
  ): Promise<boolean> {
    const stored = await this.ctx.run(
      'insertMo',
      mo.account,
      mo.ismgMsgId,
      mo.id,
      JSON.stringify(mo),
      mo.receivedAt,
      completes ? `${completes.account}${SEP}${completes.groupKey}` : '',
      this.consumedTtlMs,
      webhook?.eventKey ?? '',
      webhook?.url ?? '',
      webhook?.body ?? '',
      webhook?.contentType ?? JSON_TYPE,
    );
    return stored === 1;
  }

  async addPart(part: MoPart): Promise<MoPart[] | null> {
    const json: PartJson = { ...part, payload: Buffer.from(part.payload).toString('hex') };
    const raw = (await this.ctx.run(
      'addMoPart',
      part.account,
      part.groupKey,
      part.total,
      part.seq,
      part.ismgMsgId,
      JSON.stringify(json),
      `${part.account}${SEP}${part.groupKey}`,
    )) as string[] | null;
    return raw && raw.length > 0 ? partsOf(raw) : null;
  }

  async completeGroups(): Promise<MoPart[][]> {
    const { redis, keys } = this.ctx;
    const groups = await redis.smembers(keys.partGroups);
    if (groups.length === 0) return [];
    const pipe = redis.pipeline();
    for (const g of groups) pipe.hgetall(`${keys.p}parts:${g}`);
    const out: MoPart[][] = [];
    for (const [err, hash] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      const h = hash as Record<string, string>;
      const parts = partsOf(Object.entries(h).flat());
      if (parts.length > 0 && parts.length === Number(h.total)) out.push(parts);
    }
    return out;
  }

  list(f: { account?: string; since?: number; cursor?: string; limit: number }): Promise<Page<MoView>> {
    const { redis, keys } = this.ctx;
    const since = f.since;
    return this.ctx.page<MoView>(
      f.account ? keys.moListOf(f.account) : keys.moList,
      f.cursor,
      f.limit,
      async (ids) =>
        ids.length === 0
          ? []
          : (await redis.mget(ids.map((id) => keys.mo(id)))).map((j) =>
              j === null ? undefined : (JSON.parse(j) as MoView),
            ),
      since === undefined ? undefined : (m) => m.receivedAt >= since,
    );
  }
}
