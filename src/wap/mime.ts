/** A Content-Type header: media type (lower case) and parameters (lower-case names, unquoted values). */
export interface ContentType {
  media: string;
  params: Record<string, string>;
}

const PARAM = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;

/** Reads `type/sub; a=b; c="d"`, tolerating folded lines, stray semicolons and missing quotes. */
export function parseContentType(header: string): ContentType {
  const flat = header.replace(/\r?\n[ \t]*/g, ' ');
  const semi = flat.indexOf(';');
  const media = (semi < 0 ? flat : flat.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  for (const m of flat.slice(Math.max(semi, 0)).matchAll(PARAM)) {
    const raw = m[2].trim();
    params[m[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return { media, params };
}
