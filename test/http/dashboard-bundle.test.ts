import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/http/static.js';

/* The dashboard's static bundle (built by `npm run build:web`, which `npm test` runs first) stays small. */

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('dashboard bundle', () => {
  it('is under 300 kB gzipped, loads nothing from another origin, and has its entry page', () => {
    const all = files(WEB_ROOT);
    expect(all.map((f) => f.slice(WEB_ROOT.length))).toContain('index.html');
    let gzipped = 0;
    for (const f of all) {
      const bytes = readFileSync(f);
      gzipped += gzipSync(bytes, { level: 9 }).length;
      if (/\.(html|js|css)$/.test(f))
        expect(bytes.toString('utf8'), f).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    }
    console.log(`dashboard bundle: ${all.length} files, ${(gzipped / 1024).toFixed(1)} kB gzipped`);
    expect(gzipped).toBeLessThan(300 * 1024);
  });
});
