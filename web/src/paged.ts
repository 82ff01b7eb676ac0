import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { Page } from './types.js';

/** A cursor-paged list from the API (`path` with its query): `load` reads the first page again, `more` appends the next. */
export function usePaged<T>(path: string) {
  const [page, setPage] = useState<Page<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Page<T>>('GET', path).then(setPage, (err) => setError(err.message));
  }, [path]);
  useEffect(load, [load]);
  const more = async () => {
    if (!page?.next) return;
    const next = await api<Page<T>>('GET', `${path}&cursor=${encodeURIComponent(page.next)}`);
    setPage({ items: [...page.items, ...next.items], next: next.next });
  };
  return { page, error, load, more };
}
