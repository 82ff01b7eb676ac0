import { useEffect, useState } from 'preact/hooks';

/** The view named by the URL's hash: `#/messages/ID?x=y` → path `/messages/ID`, params x=y. */
export interface Route {
  path: string;
  params: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  return q < 0
    ? { path: hash, params: new URLSearchParams() }
    : { path: hash.slice(0, q), params: new URLSearchParams(hash.slice(q + 1)) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(path: string, params?: Record<string, string | undefined>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  location.hash = s ? `${path}?${s}` : path;
}
