import { useState } from 'preact/hooks';
import { ApiError, api, logIn } from '../api.js';
import { ErrorLine } from '../parts/ErrorLine.js';

/** Asks for an API key and keeps it for this tab once the API accepts it. */
export function Login({ onLogin }: { onLogin: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api('GET', '/api/v1/stats', undefined, key.trim());
      logIn(key.trim());
      onLogin();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'This API key is not valid.' : String(err));
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} class="card">
        <h1>cmppgw</h1>
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autocomplete="current-password"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            required
          />
        </label>
        <ErrorLine error={error} />
        <button type="submit">Log in</button>
        <p class="muted">The key is kept in this tab only (sessionStorage) and sent as a Bearer header.</p>
      </form>
    </main>
  );
}
