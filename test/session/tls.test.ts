import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CmppClient, CmppLinkClosedError, CmppServer } from '../../src/session/index.js';
import { ACCOUNT, SECRET, submitFields } from './helpers.js';

/* A CMPP link over TLS (node:tls), with a self-signed certificate made for these tests only. */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const cert = fixture('tls-cert.pem');
const key = fixture('tls-key.pem');

describe('TLS links', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function tlsServer(): Promise<number> {
    let next = 1n;
    const server = new CmppServer({
      accounts: (id) => (id === ACCOUNT ? { secret: SECRET } : undefined),
      handlers: { submit: () => ({ Msg_Id: next++, Result: 0 }) },
      tls: { cert, key },
    });
    closers.push(() => server.close());
    return (await server.listen(0)).port;
  }

  it('logs in and submits over TLS when the client trusts the certificate', async () => {
    const port = await tlsServer();
    const client = new CmppClient({
      host: '127.0.0.1',
      port,
      account: ACCOUNT,
      secret: SECRET,
      tls: { ca: cert },
      reconnect: false,
    });
    closers.push(() => client.close());
    await client.connect();
    expect(client.state).toBe('up');
    const results = await Promise.all([1, 2, 3].map((i) => client.submit(submitFields(i))));
    expect(results.map((r) => r.result)).toEqual([0, 0, 0]);
    expect(new Set(results.map((r) => r.msgId)).size).toBe(3);
  });

  it('refuses a server whose certificate it does not trust', async () => {
    const port = await tlsServer();
    const client = new CmppClient({
      host: '127.0.0.1',
      port,
      account: ACCOUNT,
      secret: SECRET,
      tls: true,
      reconnect: false,
    });
    closers.push(() => client.close());
    await expect(client.connect()).rejects.toBeInstanceOf(CmppLinkClosedError);
    expect(client.state).not.toBe('up');
  });
});
