import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { firstRows } from '../../src/store/sqlite/first-rows.js';

function queue() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE q (id INTEGER PRIMARY KEY, account TEXT, due INTEGER)');
  db.exec('CREATE INDEX q_due ON q (account, due)');
  const insert = db.prepare('INSERT INTO q (account, due) VALUES (?, ?)');
  for (const [account, due] of [
    ['a', 30],
    ['a', 10],
    ['b', 5],
    ['a', 20],
    ['a', 40],
  ] as const)
    insert.run(account, due);
  const due = db.prepare('SELECT due FROM q WHERE account = ? AND due <= ? ORDER BY due');
  return { db, due };
}

describe('firstRows', () => {
  it('returns the first rows in the query order, no more than asked, with the parameters bound', () => {
    const { due } = queue();
    expect(firstRows<{ due: number }>(due, 2, 'a', 100).map((r) => r.due)).toEqual([10, 20]);
    expect(firstRows<{ due: number }>(due, 10, 'a', 30).map((r) => r.due)).toEqual([10, 20, 30]);
    expect(firstRows(due, 0, 'a', 100)).toEqual([]);
  });

  it('leaves the statement and the connection free for the writes that follow', () => {
    const { db, due } = queue();
    const taken = firstRows<{ due: number }>(due, 1, 'a', 100);
    // An iterator left open would make this write throw "connection is busy".
    db.prepare('DELETE FROM q WHERE due = ?').run(taken[0].due);
    expect(firstRows<{ due: number }>(due, 1, 'a', 100)).toEqual([{ due: 20 }]);
  });
});
