import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/http/static.js';
import { PapClient } from '../../src/wap/index.js';
import { API_KEY, Harness, SERVICE_CODE, sleep } from '../gateway/harness.js';
import { launchBrowser } from './browser.js';

/*
 * The dashboard in a real Chromium against a real gateway and simulator: log in, watch the link, send from
 * the form and follow the message to `delivered`, find it, see an MO arrive, see the link drop and return.
 * SCREENSHOTS=1 (npm run screenshots) also writes docs/dashboard-*.png.
 */

let h: Harness;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

const screenshot = async (name: string) => {
  if (!process.env.SCREENSHOTS) return;
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: `docs/${name}.png`, fullPage: true });
};

/** Whether the page is wider than the window (a view that does not fit a phone). */
const overflows = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

beforeAll(async () => {
  if (!existsSync(`${WEB_ROOT}/index.html`)) throw new Error('the dashboard is not built: npm run build:web');
  h = await Harness.start({ account: { name: 'demo' } });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('dashboard', () => {
  it('logs in with an API key kept in sessionStorage, and shows the demo account’s link up', async () => {
    await page.goto(h.url);
    await page.fill('input[name=apiKey]', 'wrong-key');
    await page.click('button[type=submit]');
    await page.getByRole('alert').getByText('not valid').waitFor();

    await page.fill('input[name=apiKey]', API_KEY);
    await page.click('button[type=submit]');
    await page.locator('[data-account=demo] tr[data-link="0"][data-state=up]').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('cmppgw.apiKey'))).toBe(API_KEY);
    expect(page.url()).not.toContain(API_KEY);

    // Time to interactive on loopback: navigation start → the overview showing live link state.
    const started = Date.now();
    await page.reload();
    await page.locator('[data-account=demo] tr[data-state=up]').waitFor();
    await page.locator('.live.on').waitFor();
    const navigation = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domInteractive: nav.domInteractive, now: performance.now() };
    });
    console.log(
      `dashboard overview: DOM interactive ${navigation.domInteractive.toFixed(0)} ms, live link state shown ` +
        `${navigation.now.toFixed(0)} ms after navigation start (${Date.now() - started} ms wall clock)`,
    );
  });

  it('sends a message from the form and shows it reaching delivered, with its timeline and webhook', async () => {
    await page.click('nav >> text=Send');
    await page.fill('input[name=to]', '13800138000');
    await page.fill('textarea[name=text]', '你好，cmppgw 控制台');
    await page.click('form.send button[type=submit]');
    await page.waitForURL(/#\/messages\/[0-9a-z]+$/);
    const id = page.url().split('/').pop() as string;
    await page.locator('h2 .badge-delivered').waitFor();
    const [submit] = await h.submits('13800138000');
    const timeline = page.locator('.timeline');
    await expect(timeline.textContent()).resolves.toContain(`Msg_Id ${submit.msgIds[0]} · Result 0`);
    await expect(timeline.textContent()).resolves.toContain('Stat DELIVRD');
    await page.locator('[data-webhook=delivered]').waitFor();
    await expect(page.locator('.facts').first().textContent()).resolves.toContain('你好，cmppgw 控制台');
    expect((await h.message(id)).status).toBe('delivered');
    await screenshot('dashboard-message');
  });

  it('sends a WAP Push SI from the form; the WAP pushes page shows its address delivered', async () => {
    await page.click('nav >> text=Send');
    await page.selectOption('select[name=kind]', 'si');
    await page.fill('input[name=to]', '13800138001');
    await page.fill('input[name=href]', 'http://wap.example.com/news');
    await page.fill('input[name=text]', '今日新闻');
    await page.click('form.send button[type=submit]');
    await page.waitForURL(/#\/messages\/[0-9a-z]+$/);
    await page.locator('h2 .badge-delivered').waitFor();
    const [submit] = await h.submits('13800138001');
    // Binary SMS to the WAP Push port (WDP UDH), the SI compiled to WBXML.
    expect(submit.pdu.fields.Msg_Fmt).toBe(4);
    const { items } = (await h.api('GET', '/api/v1/pushes')).body;
    expect(items).toHaveLength(1);

    await page.click('nav >> text=WAP pushes');
    const push = page.locator(`[data-push="${items[0].pushId}"]`);
    // The address as PAP writes it: WAPPUSH=+8613800138001/TYPE=PLMN.
    const address = push.locator('tr[data-state]', { hasText: '+8613800138001' });
    await address.and(page.locator('[data-state=delivered]')).waitFor();
    await expect(push.textContent()).resolves.toContain('application/vnd.wap.sic');
    await address.locator('a').click();
    await page.waitForURL(new RegExp(`#/messages/${items[0].addresses[0].messageId}$`));
    await page.locator('h2 .badge-delivered').waitFor();
  });

  it('the WAP pushes page shows the source-reference a Push Initiator gave', async () => {
    const pi = new PapClient({ ppg: `${h.url}/pap`, apiKey: API_KEY });
    const answer = await pi.push({
      to: '13800138002',
      pushId: 'dash-sourced',
      sourceReference: 'news-desk@pi.example.com',
      content: { contentType: 'text/vnd.wap.sl', body: '<sl href="http://wap.example.com/app"/>' },
    });
    expect(answer.result.code).toBe(1001);
    await page.click('nav >> text=WAP pushes');
    const source = page.locator('[data-push="dash-sourced"] [data-source-reference]');
    await expect(source.textContent()).resolves.toBe('news-desk@pi.example.com');
  });

  it('finds the message by recipient, by id and by state', async () => {
    const [{ id }] = (await h.api('GET', '/api/v1/messages?to=13800138000')).body.items;
    await h.api('POST', '/api/v1/messages', { to: '13900000001', text: 'another' });
    const rows = page.locator('tbody tr');
    await page.click('nav >> text=Messages');
    // Unfiltered first: every message, newest first.
    await page.locator('tr[data-id]').nth(2).waitFor();
    await page.fill('input[name=to]', '13800138000');
    await page.click('form.search button[type=submit]');
    await page.waitForURL(/to=13800138000/);
    await expect.poll(() => rows.count()).toBe(1);
    await page.locator(`tr[data-id="${id}"]`).waitFor();

    await page.fill('input[name=to]', '');
    await page.fill('input[name=id]', id);
    await page.click('form.search button[type=submit]');
    await page.waitForURL(new RegExp(`id=${id}`));
    await page.locator(`tr[data-id="${id}"]`).waitFor();
    await expect.poll(() => rows.count()).toBe(1);

    await page.fill('input[name=id]', 'no-such-message');
    await page.click('form.search button[type=submit]');
    await page.getByText('No message matches').waitFor();

    await page.fill('input[name=id]', '');
    await page.selectOption('select[name=status]', 'rejected');
    await page.click('form.search button[type=submit]');
    await page.getByText('No message matches').waitFor();
    await page.click(`nav >> text=Messages`);
  });

  it('shows an MO injected at the simulator in the inbox, without reloading', async () => {
    await page.click('nav >> text=MO inbox');
    await page.locator('h2', { hasText: 'MO inbox' }).waitFor();
    const mo = await h.sim('POST', '/mo', { from: '13700000001', to: `${SERVICE_CODE}9`, text: '退订 TD' });
    expect(mo.status).toBe(200);
    const row = page.locator('tr', { hasText: '13700000001' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('退订 TD');
  });

  it('every view fits a phone-width screen and 1280 px, and Chinese text is drawn with a real font', async () => {
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 844 });
      for (const view of ['#/', '#/messages', '#/inbox', '#/pushes', '#/send']) {
        await page.goto(`${h.url}/${view}`);
        await page.locator('main').waitFor();
        expect(await overflows(), `${view} at ${width} px`).toBe(false);
      }
      const [{ id }] = (await h.api('GET', '/api/v1/messages?to=13800138000')).body.items;
      await page.goto(`${h.url}/#/messages/${id}`);
      await page.locator('.timeline').waitFor();
      expect(await overflows(), `message page at ${width} px`).toBe(false);
    }
    // A font without CJK glyphs draws every character as the same empty box: compare with unassigned ones.
    const distinct = await page.evaluate(() => {
      const draw = (text: string) => {
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 32;
        const g = canvas.getContext('2d') as CanvasRenderingContext2D;
        g.font = `24px ${getComputedStyle(document.body).fontFamily}`;
        g.fillText(text, 2, 26);
        return canvas.toDataURL();
      };
      return draw('中文') !== draw('\u{0378}\u{0378}') && draw('中文') !== draw('文中');
    });
    expect(distinct).toBe(true);
  });

  it('shows the link going down when the simulator stops, and up again when it is back', async () => {
    await page.goto(`${h.url}/#/`);
    // Some traffic for the chart (over a few seconds when taking the screenshots).
    const rounds = process.env.SCREENSHOTS ? 8 : 1;
    for (let r = 0; r < rounds; r++) {
      const to = Array.from(
        { length: 3 + (r % 4) * 2 },
        (_, i) => `138${String(r * 10 + i).padStart(8, '0')}`,
      );
      await h.api('POST', '/api/v1/messages', { to, text: `第 ${r} 批` });
      if (r % 3 === 0)
        await h.sim('POST', '/mo', { from: '13700000002', to: SERVICE_CODE, text: `回复 ${r}` });
      if (rounds > 1) await sleep(1000);
    }
    const link = page.locator('[data-account=demo] tr[data-link="0"]');
    await page.locator('[data-account=demo] tr[data-state=up]').waitFor();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-stat=queue] b')?.textContent) === 0,
    );
    await screenshot('dashboard-overview');

    await h.stopSimulator();
    await page.locator('[data-account=demo] tr[data-state=down]').waitFor();
    await expect(link.locator('.reason').textContent()).resolves.toMatch(/\S/);
    await h.restartSimulator();
    await page.locator('[data-account=demo] tr[data-state=up]').waitFor({ timeout: 20_000 });
  }, 40_000);
});
