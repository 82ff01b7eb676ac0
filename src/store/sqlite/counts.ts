import type { Database, Statement } from 'better-sqlite3';

/**
 * The `counters` table (messages per state, MO, pushes: see migrations.ts), kept by the writes themselves:
 * a write notes its changes here, and they are added to the table at its end, one UPDATE per counter, in
 * the same transaction (so a write that throws, and is rolled back, leaves none).
 */
export class Counts {
  private readonly deltas = new Map<string, number>();
  private readonly add: Statement;

  constructor(db: Database) {
    this.add = db.prepare('UPDATE counters SET n = n + ? WHERE name = ?');
  }

  change(name: string, by: number): void {
    if (by !== 0) this.deltas.set(name, (this.deltas.get(name) ?? 0) + by);
  }

  /** A message left state `from` for `to`. */
  move(from: string, to: string): void {
    if (from === to) return;
    this.change(from, -1);
    this.change(to, 1);
  }

  /** Runs one write (inside its transaction or savepoint), then adds what it counted. */
  around<T>(work: () => T): T {
    try {
      const result = work();
      for (const [name, n] of this.deltas) if (n !== 0) this.add.run(n, name);
      return result;
    } finally {
      this.deltas.clear();
    }
  }
}
