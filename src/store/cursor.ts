/** List cursors are the seq of the last item returned: the next page starts below it. */
export const cursorOf = (seq: number) => String(seq);

/** The seq to start below; a missing or malformed cursor starts at the newest item. */
export function parseCursor(cursor: string | undefined): number {
  const n = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
  return Number.isSafeInteger(n) && n > 0 ? n : Number.MAX_SAFE_INTEGER;
}
