import type { LinkLeases } from '../types.js';
import type { RedisContext } from './context.js';

/** Link slots as expiring keys `lease:<account>:<slot>` holding the node id (scripts LEASE, RELEASE). */
export class RedisLeases implements LinkLeases {
  constructor(
    private readonly ctx: RedisContext,
    private readonly nodeId: string,
    readonly ttlMs: number,
  ) {}

  async sync(
    account: string,
    limit: number,
    held: readonly number[],
    grow: boolean,
  ): Promise<{ held: number[]; giveBack: boolean }> {
    const [give, ...slots] = (await this.ctx.run(
      'lease',
      this.nodeId,
      account,
      limit,
      this.ttlMs,
      grow ? '1' : '0',
      ...held.map(String),
    )) as number[];
    return { held: slots.map(Number), giveBack: Number(give) === 1 };
  }

  async release(account: string, slots: readonly number[], leaving: boolean): Promise<void> {
    if (slots.length > 0 || leaving)
      await this.ctx.run('release', this.nodeId, account, leaving ? '1' : '0', ...slots.map(String));
  }
}
