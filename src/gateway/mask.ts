/** A phone number with its middle hidden: 13800138000 → 138****8000 (short ones keep only their ends). */
export function maskNumber(number: string): string {
  if (number.length <= 4) return '*'.repeat(number.length);
  const keep = number.length >= 11 ? 3 : 1;
  return `${number.slice(0, keep)}****${number.slice(-4)}`;
}

/** A URL without user info, query or fragment: the places credentials hide in. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = u.username || u.password || u.search || u.hash;
    return hidden ? `${u.protocol}//${u.host}${u.pathname}${u.search ? '?***' : ''}` : url;
  } catch {
    return '***';
  }
}
