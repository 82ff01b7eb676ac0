import type { Page } from '../types.js';

/** "More", while a paged list has a next page. */
export function MoreButton({ page, more }: { page: Page<unknown> | null; more: () => void }) {
  return page?.next ? (
    <button type="button" onClick={more}>
      More
    </button>
  ) : null;
}
