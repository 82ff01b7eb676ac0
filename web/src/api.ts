/* The API key lives in sessionStorage (gone with the tab) and travels only as a Bearer header. */

const KEY = 'cmppgw.apiKey';

export const apiKey = (): string | null => sessionStorage.getItem(KEY);

export function logIn(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function logOut(): void {
  sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event('cmppgw:logout'));
}

/** An error answer of the API: `{ error: { code, message, field } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function authHeaders(key = apiKey()): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

export async function api<T>(method: string, path: string, body?: unknown, key?: string): Promise<T> {
  const headers = authHeaders(key);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => undefined);
  if (res.status === 401 && key === undefined) logOut();
  if (!res.ok) {
    const error = json?.error;
    throw new ApiError(res.status, error?.message ?? `HTTP ${res.status}`, error?.field);
  }
  return json as T;
}

/** A query string of the non-empty values. */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
