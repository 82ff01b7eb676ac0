import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';

/* `cmppgw start` with nothing configured: gateway + embedded simulator, as a newcomer runs it. */

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('cmppgw start (demo mode)', () => {
  it('prints its URL and API key, delivers a message, and exits 0 on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmppgw-demo-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CMPPGW_')));
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'start',
        '--http-port',
        '0',
        '--store',
        `sqlite:${join(dir, 'db', 'cmppgw.db')}`,
        '--log-level',
        'warn',
      ],
      { cwd: join(import.meta.dirname, '..', '..'), env },
    );
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (d) => (stdout += d));
    proc.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );

    const [, url] = await waitFor(
      () => /cmppgw listening on (http:\/\/\S+) /.exec(stdout),
      15_000,
      `the URL (stdout: ${stdout} stderr: ${stderr})`,
      50,
    );
    const [, key] = await waitFor(() => /API key: (\S+)/.exec(stdout), 5000, 'the API key', 20);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    expect(stdout).toMatch(/embedded ISMG simulator on 127\.0\.0\.1:\d+/);

    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const sent = await fetch(`${url}/api/v1/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to: '13800138000', text: '你好，cmppgw' }),
    });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    const message = await waitFor(
      async () => {
        const res = await fetch(`${url}/api/v1/messages/${id}`, { headers });
        const m = (await res.json()) as { status: string; segments: { stat: string | null }[] };
        return m.status === 'delivered' ? m : undefined;
      },
      6000,
      'the message to be delivered',
      100,
    );
    expect(message.segments[0].stat).toBe('DELIVRD');

    const stopAt = Date.now();
    proc.kill('SIGTERM');
    const exit = await Promise.race([
      exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 8000)),
    ]);
    expect(exit, `the process did not exit after SIGTERM (stderr: ${stderr})`).toEqual({
      code: 0,
      signal: null,
    });
    expect(Date.now() - stopAt).toBeLessThan(8000);
  });
});
