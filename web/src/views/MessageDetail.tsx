import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { body, time } from '../format.js';
import { useLiveEvent } from '../live.js';
import { Badge } from '../parts/Badge.js';
import { ErrorLine } from '../parts/ErrorLine.js';
import type { Message, Webhook } from '../types.js';

/** States a message does not leave (`submitted` only when it asked for no report: still reloaded). */
const FINAL = new Set(['delivered', 'undeliverable', 'expired', 'rejected', 'failed', 'cancelled']);

interface Step {
  at: string;
  what: string;
  detail?: string;
  state?: string;
}

/** Every dated event of a message in order: accepted, each segment's SUBMIT_RESP and report. */
function timeline(m: Message): Step[] {
  const steps: Step[] = [
    { at: m.createdAt, what: 'Accepted', detail: `${m.segments.length} segment(s), ${m.encoding}` },
  ];
  for (const s of m.segments) {
    const n = `Segment ${s.index + 1}`;
    if (s.submittedAt)
      steps.push({
        at: s.submittedAt,
        what: `${n} submitted`,
        detail: `Msg_Id ${s.msgId ?? '—'} · Result ${s.result ?? '—'}`,
        state: s.result === 0 ? 'submitted' : 'rejected',
      });
    if (s.reportedAt)
      steps.push({ at: s.reportedAt, what: `${n} report`, detail: `Stat ${s.stat}`, state: s.status });
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}

function WebhookState({ webhook, message }: { webhook: Webhook | null | undefined; message: Message }) {
  if (webhook === undefined) return <p class="muted">This store cannot show webhook states.</p>;
  if (webhook === null)
    return (
      <p class="muted">
        {message.report || message.status !== 'submitted'
          ? 'No report webhook queued (the message is not final yet, or its account has no webhook URL).'
          : 'No report webhook queued.'}
      </p>
    );
  return (
    <dl class="facts" data-webhook={webhook.status}>
      <dt>State</dt>
      <dd>
        <Badge value={webhook.status} />
      </dd>
      <dt>URL</dt>
      <dd class="text">{webhook.url}</dd>
      <dt>Attempts</dt>
      <dd>{webhook.attempts}</dd>
      <dt>Queued</dt>
      <dd>{time(webhook.createdAt)}</dd>
      {webhook.deliveredAt && (
        <>
          <dt>Delivered</dt>
          <dd>{time(webhook.deliveredAt)}</dd>
        </>
      )}
      {webhook.nextAttemptAt && (
        <>
          <dt>Next attempt</dt>
          <dd>{time(webhook.nextAttemptAt)}</dd>
        </>
      )}
      {webhook.lastError && (
        <>
          <dt>Last error</dt>
          <dd class="error">{webhook.lastError}</dd>
        </>
      )}
    </dl>
  );
}

/** One message: its fields, its segments' timeline and its report webhook, refreshed as events arrive. */
export function MessageDetail({ id }: { id: string }) {
  const [m, setM] = useState<Message | null>(null);
  const [webhook, setWebhook] = useState<Webhook | null | undefined>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Message>('GET', `/api/v1/messages/${encodeURIComponent(id)}`).then(
      (msg) => {
        setM(msg);
        setError(null);
      },
      (err) => setError(err.status === 404 ? `No message ${id}.` : err.message),
    );
    api<{ webhook: Webhook | null }>('GET', `/api/v1/messages/${encodeURIComponent(id)}/webhook`).then(
      (w) => setWebhook(w.webhook),
      (err) => err instanceof ApiError && err.status === 501 && setWebhook(undefined),
    );
  }, [id]);
  useEffect(load, [load]);
  useLiveEvent<{ id: string }>('message', (e) => e.id === id && load(), [id, load]);
  useLiveEvent<{ id: string }>('webhook', (e) => e.id === id && load(), [id, load]);
  // Under load the stream drops some message events: until the message is final, each tick reloads it.
  const settled = m !== null && m.id === id && FINAL.has(m.status) && webhook?.status !== 'pending';
  useLiveEvent('tick', () => settled || load(), [settled, load]);
  // Reconnected after a drop: events were missed.
  useLiveEvent('snapshot', load, [load]);

  if (error)
    return (
      <main>
        <ErrorLine error={error} />
      </main>
    );
  if (!m)
    return (
      <main>
        <p class="muted">Loading…</p>
      </main>
    );
  return (
    <main>
      <section class="card">
        <h2>
          Message <code>{m.id}</code> <Badge value={m.status} />
        </h2>
        <dl class="facts">
          <dt>To</dt>
          <dd>{m.to}</dd>
          <dt>From</dt>
          <dd>{m.from}</dd>
          <dt>Account</dt>
          <dd>{m.account}</dd>
          {m.clientRef && (
            <>
              <dt>clientRef</dt>
              <dd>{m.clientRef}</dd>
            </>
          )}
          <dt>Text</dt>
          <dd class="text">{body(m)}</dd>
          {m.error && (
            <>
              <dt>Error</dt>
              <dd class="error">{m.error}</dd>
            </>
          )}
        </dl>
      </section>
      <section class="card">
        <h2>Timeline</h2>
        <ol class="timeline">
          {timeline(m).map((s) => (
            <li key={`${s.at}${s.what}`}>
              <time>{time(s.at)}</time> <b>{s.what}</b> {s.state && <Badge value={s.state} />}
              {s.detail && <div class="muted">{s.detail}</div>}
            </li>
          ))}
        </ol>
      </section>
      <section class="card">
        <h2>Report webhook</h2>
        <WebhookState webhook={webhook} message={m} />
      </section>
    </main>
  );
}
