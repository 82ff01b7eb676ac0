import { type FileHandle, open } from 'node:fs/promises';

/**
 * Makes committed transactions durable without blocking the event loop. SQLite runs with
 * synchronous=NORMAL in WAL mode, so a commit appends to the -wal file without an fsync; this then
 * fdatasyncs that file on libuv's thread pool. fsync acts on the file (inode), so one sync covers every
 * transaction appended before it started. Syncs are coalesced: callers that arrive while one runs share
 * the next one.
 */
export class WalSync {
  private handle?: Promise<FileHandle>;
  private running?: Promise<void>;
  private queued?: Promise<void>;

  constructor(private readonly walPath: string | null) {}

  /** Whether a sync is running. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves (never rejects) once no sync is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.walPath === null) return Promise.resolve();
    if (!this.running) {
      this.running = this.syncOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // A sync is running and may have started before our commit: wait for the one after it.
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    return this.queued;
  }

  private async syncOnce(): Promise<void> {
    this.handle ??= open(this.walPath as string, 'r');
    await (await this.handle).datasync();
  }

  async close(): Promise<void> {
    await this.running;
    await this.queued;
    if (this.handle) await (await this.handle).close();
  }
}
