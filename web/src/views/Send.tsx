import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { go } from '../router.js';
import type { PushAccepted } from '../types.js';

type Kind = 'text' | 'si';

/** The request for the chosen kind, and the id of the message to follow once it is accepted. */
async function send(
  kind: Kind,
  f: { to: string; text: string; from: string; href: string },
): Promise<string> {
  if (kind === 'si') {
    const push = await api<PushAccepted>('POST', '/api/v1/wap-push', {
      to: f.to,
      type: 'si',
      href: f.href,
      ...(f.text ? { text: f.text } : {}),
    });
    return push.messages[0].id;
  }
  const m = await api<{ id: string }>('POST', '/api/v1/messages', {
    to: f.to,
    text: f.text,
    ...(f.from ? { from: f.from } : {}),
  });
  return m.id;
}

/** A test send (a text, or a WAP Push SI); then the message's own page, which follows it live. */
export function Send() {
  const [kind, setKind] = useState<Kind>('text');
  const [fields, setFields] = useState({ to: '', text: '', from: '', href: '' });
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const input = (name: keyof typeof fields) => ({
    name,
    value: fields[name],
    onInput: (e: Event) => setFields({ ...fields, [name]: (e.currentTarget as HTMLInputElement).value }),
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      go(`/messages/${await send(kind, fields)}`);
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
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            <option value="text">Text SMS</option>
            <option value="si">WAP Push SI (Service Indication)</option>
          </select>
        </label>
        <label>
          To <input {...input('to')} inputMode="tel" required placeholder="13800138000" />
        </label>
        {kind === 'text' ? (
          <>
            <label>
              Extension (optional) <input {...input('from')} inputMode="numeric" />
            </label>
            <label>
              Text
              <textarea {...input('text')} rows={4} required />
            </label>
            <p class="muted">{fields.text.length} characters</p>
          </>
        ) : (
          <>
            <label>
              Link (href){' '}
              <input {...input('href')} type="url" required placeholder="http://wap.example.com/news" />
            </label>
            <label>
              Indication text (optional) <input {...input('text')} />
            </label>
          </>
        )}
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
