import { afterEach, describe, expect, it } from 'vitest';
import { CmppLoginError } from '../../src/session/index.js';
import { settle } from '../session/helpers.js';
import { ACCOUNT, Harness, SECRET } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

/** The CONNECT_RESP Status of a refused login. */
async function refusedWith(connecting: Promise<void>): Promise<number> {
  const outcome = await settle(connecting);
  if (outcome.ok) throw new Error('login unexpectedly succeeded');
  expect(outcome.error).toBeInstanceOf(CmppLoginError);
  return (outcome.error as CmppLoginError).status;
}

describe('logins', () => {
  it('refuses a wrong secret (3), an unknown account (2), a disallowed version (4), one link too many (5)', async () => {
    const sim = await h.simulator({
      accounts: {
        [ACCOUNT]: { secret: SECRET, maxConnections: 2 },
        '900002': { secret: SECRET, versions: [2.0] },
      },
    });
    expect(await refusedWith(h.client(sim, { secret: 'wrong' }).client.connect())).toBe(3);
    expect(await refusedWith(h.client(sim, { account: '912345' }).client.connect())).toBe(2);
    expect(await refusedWith(h.client(sim, { account: '900002', version: '3.0' }).client.connect())).toBe(4);
    await h.connected(sim, { account: '900002', version: '2.0' });
    await h.connected(sim);
    await h.connected(sim);
    expect(await refusedWith(h.client(sim).client.connect())).toBe(5);

    const stats = sim.statsJson();
    expect(stats.unknownAccountLogins).toBe(1);
    expect(stats.accounts[ACCOUNT]).toMatchObject({
      logins: 2,
      sessionsUp: 2,
      maxLinks: 2,
      loginsRefused: { 3: 1, 5: 1 },
    });
    expect(stats.accounts['900002']).toMatchObject({ logins: 1, loginsRefused: { 4: 1 } });
  });

  it('runs the demo account 900001:888888 when no account is configured', async () => {
    const sim = await h.simulator({ accounts: undefined });
    const { client } = await h.connected(sim, { secret: '888888' });
    expect(client.state).toBe('up');
    expect(sim.config.accounts.get(ACCOUNT)?.serviceCode).toBe('1065900001');
  });
});
