import { RedisStore } from '../../src/store/redis/redis-store.js';
import { describeStoreContract } from './contract.js';
import { deleteKeys, REDIS_URL, testPrefix } from './redis-keys.js';

/* The Store contract against Redis (REDIS_URL): a fresh key prefix per test, all removed at the end. */

const prefix = testPrefix();
let n = 0;

describeStoreContract(
  'redis',
  () => RedisStore.open(REDIS_URL, { prefix: `${prefix}-${++n}`, nodeId: `contract-${n}` }),
  async () => void (await deleteKeys(prefix)),
);
