import type { Logger } from 'pino';
import type { CmppClient } from '../session/index.js';
import type { LinkLeases } from '../store/types.js';
import type { AccountConfig } from './config.js';

interface AccountLinks {
  config: AccountConfig;
  /** Links not yet started. */
  idle: CmppClient[];
  /** Started links by the slot they hold. */
  bySlot: Map<number, CmppClient>;
  /** The last renewal asked for a slot and got none. */
  refused: boolean;
  /** The slot being given back: its link is draining, its lease still renewed until the link is down. */
  handingOver?: number;
  /** Takes no free slot before then: the slot it just gave back is for another node. */
  quietUntil: number;
}

/** How long a link given back may take to get its SUBMITs on the wire answered before it TERMINATEs. */
const DRAIN_MS = 5000;

/**
 * Opens each account's links only under a lease, so that all nodes together never open more than the
 * account's `links` (the ISMG's limit). Leases are renewed every third of their TTL; on each renewal a node
 * holding fewer than its share takes free slots (the share every live node is owed at once, the rest one
 * per round, so that nodes starting together share out). A node holding more than its share while another
 * holds less (a node started later) gives one slot back per round: its link stops taking SUBMITs, lets
 * those on the wire be answered, TERMINATEs, and only then is the lease released. A slot whose lease was
 * lost (this node was unreachable longer than the TTL and another may hold it now) has its link stopped
 * at once. A stopped link is idle again, ready for a later slot. Without leases (one node) every link
 * opens at once.
 */
export class LinkLeaseKeeper {
  private readonly accounts: AccountLinks[] = [];
  private timer?: NodeJS.Timeout;
  private lastSync = Date.now();
  private syncing = false;

  constructor(
    private readonly leases: LinkLeases | undefined,
    private readonly log: Logger,
  ) {}

  async start(accounts: { config: AccountConfig; links: CmppClient[] }[]): Promise<void> {
    for (const a of accounts)
      this.accounts.push({
        config: a.config,
        idle: [...a.links],
        bySlot: new Map(),
        refused: false,
        quietUntil: 0,
      });
    const leases = this.leases;
    if (!leases) {
      for (const a of this.accounts) for (const link of a.idle.splice(0)) link.start();
      return;
    }
    await this.sync(leases);
    this.timer = setInterval(() => void this.sync(leases), leases.ttlMs / 3);
  }

  /**
   * Whether other nodes hold all of an account's link slots: this node holds none, though it asked for
   * one at its last renewal (a node with no slot has a share of at least one, so only a full set refuses).
   */
  heldElsewhere(account: string): boolean {
    const a = this.accounts.find((x) => x.config.name === account);
    return this.leases !== undefined && a !== undefined && a.bySlot.size === 0 && a.refused;
  }

  private async sync(leases: LinkLeases): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      for (const a of this.accounts) {
        const held = [...a.bySlot.keys()];
        const grow = a.idle.length > 0 && a.handingOver === undefined && Date.now() >= a.quietUntil;
        const now = await leases.sync(a.config.name, a.config.links, held, grow);
        for (const slot of held) if (!now.held.includes(slot)) this.lose(a, slot, 'lease lost');
        for (const slot of now.held) if (!a.bySlot.has(slot)) this.open(a, slot);
        a.refused = grow && now.held.length === held.length;
        if (now.giveBack && a.handingOver === undefined) this.handOver(leases, a);
      }
      this.lastSync = Date.now();
    } catch (err) {
      this.log.error({ err }, 'renewing link leases failed');
      // Past the TTL another node may hold our slots: close their links rather than exceed the limit.
      if (Date.now() - this.lastSync >= leases.ttlMs)
        for (const a of this.accounts)
          for (const slot of [...a.bySlot.keys()]) this.lose(a, slot, 'leases lapsed');
    } finally {
      this.syncing = false;
    }
  }

  private open(a: AccountLinks, slot: number): void {
    const link = a.idle.shift();
    if (!link) return; // cannot happen: a node asks for a slot only with an idle link
    a.bySlot.set(slot, link);
    this.log.info({ account: a.config.name, slot }, 'link lease taken');
    link.start();
  }

  private lose(a: AccountLinks, slot: number, reason: string): void {
    const link = a.bySlot.get(slot);
    a.bySlot.delete(slot);
    if (a.handingOver === slot) a.handingOver = undefined;
    this.log.error({ account: a.config.name, slot, reason }, 'link closed: its lease is gone');
    if (link) void link.stop().then(() => a.idle.push(link));
  }

  /** Gives one slot back (the one with the fewest SUBMITs on the wire) once its link has drained. */
  private handOver(leases: LinkLeases, a: AccountLinks): void {
    const [slot, link] = [...a.bySlot].reduce((x, y) => (y[1].inFlight < x[1].inFlight ? y : x));
    a.handingOver = slot;
    this.log.info({ account: a.config.name, slot }, 'giving a link lease back to another node');
    void link
      .stop(DRAIN_MS)
      .then(async () => {
        if (a.handingOver !== slot) return; // lost meanwhile: lose() took care of it
        a.bySlot.delete(slot);
        a.handingOver = undefined;
        a.quietUntil = Date.now() + leases.ttlMs;
        a.idle.push(link);
        await leases.release(a.config.name, [slot], false);
      })
      .catch((err) =>
        this.log.warn({ err, account: a.config.name, slot }, 'giving a link lease back failed'),
      );
  }

  /** Stops renewing and gives the slots back (call after the links are closed). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.syncing) await new Promise((r) => setTimeout(r, 10));
    const leases = this.leases;
    if (!leases) return;
    for (const a of this.accounts) {
      await leases
        .release(a.config.name, [...a.bySlot.keys()], true)
        .catch((err) => this.log.warn({ err }, 'releasing link leases failed'));
      a.bySlot.clear();
    }
  }
}
