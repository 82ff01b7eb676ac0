import type { CmppVersion, DeliverFields, Pdu } from '../cmpp/index.js';
import type { ServerSession } from '../session/index.js';

/** A DELIVER (report or MO part) on its way to an account. */
export interface OutgoingDeliver {
  kind: 'report' | 'mo';
  /** Its fields in the layout of the link that carries it (a report body is 60 bytes in 2.0, 71 in 3.0). */
  fields(version: CmppVersion): DeliverFields;
  /** The SP answered the DELIVER `sent` on `link` with `response`; called once. */
  acknowledged(response: Pdu, link: ServerSession, sent: DeliverFields): void;
}

/**
 * DELIVERs for one account, in order: each goes to the next logged-in link of the account that has room
 * in its window (SPEC3 §7.1, W unanswered at most), and waits here while none has. One whose link dropped,
 * or that got no DELIVER_RESP after the link's N tries of T, goes back in line for whatever link is up.
 */
export class DeliverOutbox {
  private waiting: OutgoingDeliver[] = [];
  private head = 0;
  private turn = 0;
  private closed = false;

  constructor(
    private readonly links: () => readonly ServerSession[],
    private readonly window: number,
    /** Called each time an item is handed to a link (a retry counts again). */
    private readonly onSend: (item: OutgoingDeliver) => void,
  ) {}

  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** The next logged-in link of the account in turn, whatever its window; undefined when none is up. */
  nextLink(): ServerSession | undefined {
    const links = this.links();
    return links.length === 0 ? undefined : links[this.turn++ % links.length];
  }

  send(item: OutgoingDeliver): void {
    if (this.closed) return;
    this.waiting.push(item);
    this.flush();
  }

  /** Sends what waits while a link has room; runs again when a link logs in or an answer frees a slot. */
  flush(): void {
    while (this.queued > 0) {
      const link = this.linkWithRoom();
      if (!link) return;
      this.sendOn(link, this.take());
    }
  }

  close(): void {
    this.closed = true;
    this.waiting = [];
    this.head = 0;
  }

  /** The oldest item; the queue drops what it has handed out once that is half of it. */
  private take(): OutgoingDeliver {
    const item = this.waiting[this.head++];
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private linkWithRoom(): ServerSession | undefined {
    const links = this.links();
    for (let tried = 0; tried < links.length; tried++) {
      const link = links[this.turn++ % links.length];
      // Our requests in flight on the link: DELIVERs (and the odd ACTIVE_TEST).
      if (link.link.inFlight < this.window) return link;
    }
    return undefined;
  }

  private sendOn(link: ServerSession, item: OutgoingDeliver): void {
    this.onSend(item);
    const fields = item.fields(link.version);
    link
      .deliver(fields)
      .then(
        (response) => item.acknowledged(response, link, fields),
        () => this.send(item),
      )
      .finally(() => this.flush());
  }
}
