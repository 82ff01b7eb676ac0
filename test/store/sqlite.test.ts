import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreContract } from './contract.js';

/* The Store contract against the embedded backend: a real file per test, in a temp dir removed at the end. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmppgw-store-'));
let n = 0;

describeStoreContract(
  'sqlite',
  async () => new SqliteStore(path.join(dir, `store-${++n}.db`)),
  async () => fs.rmSync(dir, { recursive: true, force: true }),
);
