const two = (n: number) => String(n).padStart(2, '0');

let cachedMinute = Number.NaN;
let cachedText = '';

/**
 * Submit_time and Done_time of a status report: YYMMDDHHMM, local time like the Msg_Id (SPEC3 §8.4.5.1).
 * The text only changes once a minute, so the last one is kept.
 */
export function reportTime(epochMs: number): string {
  const minute = Math.floor(epochMs / 60_000);
  if (minute === cachedMinute) return cachedText;
  const date = new Date(epochMs);
  cachedText =
    two(date.getFullYear() % 100) +
    two(date.getMonth() + 1) +
    two(date.getDate()) +
    two(date.getHours()) +
    two(date.getMinutes());
  cachedMinute = minute;
  return cachedText;
}
