import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

/** A store from its URL: `sqlite:PATH` (the embedded default). */
export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) return new SqliteStore(url.slice('sqlite:'.length));
  throw new Error(`unsupported store "${url}": use sqlite:PATH`);
}
