import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { go } from '../router.js';

interface Accepted {
  id: string;
}

/** A test send: one recipient, a text; then the message's own page, which follows it live. */
export function Send() {
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [from, setFrom] = useState('');
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const accepted = await api<Accepted>('POST', '/api/v1/messages', {
        to,
        text,
        ...(from ? { from } : {}),
      });
      go(`/messages/${accepted.id}`);
    } catch (err) {
      setError(
        err instanceof ApiError ? { message: err.message, field: err.field } : { message: String(err) },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <form class="card send" onSubmit={submit}>
        <h2>Send a test message</h2>
        <label>
          To{' '}
          <input
            name="to"
            inputMode="tel"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
            required
            placeholder="13800138000"
          />
        </label>
        <label>
          Extension (optional){' '}
          <input
            name="from"
            inputMode="numeric"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label>
          Text
          <textarea
            name="text"
            rows={4}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            required
          />
        </label>
        <p class="muted">{text.length} characters</p>
        {error && (
          <p class="error" role="alert">
            {error.field ? `${error.field}: ` : ''}
            {error.message}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Send
        </button>
      </form>
    </main>
  );
}
