import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compilePushContent, encodeWspPush, WapTransformError, wapPushSegments } from '../wap/index.js';
import { CliError, type CliIo } from './io.js';

/** A file's text, or standard input for "-". */
export async function readInput(path: string, io: CliIo): Promise<string> {
  if (path === '-') return io.readStdin();
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** The root element's name, past the declaration, comments and DOCTYPE. */
export function rootElement(xml: string): string | undefined {
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i;
  return /^<([\w.:-]+)/.exec(xml.replace(/^\uFEFF/, '').replace(prolog, ''))?.[1];
}

function integer(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > max)
      throw new CliError(`${name} must be an integer 0–${max}, got "${value}"`);
    return n;
  };
}

interface CompileOptions {
  type?: string;
  tid: number;
  appId?: string;
  reference: number;
  json?: boolean;
}

/** `cmppgw wap compile`: an SI/SL document as the PPG sends it (facts §9–§11). */
export function registerWapCommands(program: Command, io: CliIo): void {
  const wap = program.command('wap').description('WAP Push tools');
  wap
    .command('compile')
    .description(
      'compile an SI or SL document ("-" reads stdin) to WBXML, the WSP push PDU and its SMS segments',
    )
    .argument('<file>', 'the SI or SL XML document')
    .option('--type <si|sl>', 'document type (default: the root element)')
    .option('--tid <n>', 'WSP transaction id 0–255', integer('--tid', 255), 0)
    .option('--app-id <id>', 'X-Wap-Application-Id, e.g. x-wap-application:push.sia or 1')
    .option(
      '--reference <n>',
      'concatenation reference 0–255 for a multi-SMS push',
      integer('--reference', 255),
      0,
    )
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: CompileOptions) => {
      const xml = await readInput(file, io);
      const kind = (opts.type ?? rootElement(xml) ?? '').toLowerCase();
      if (kind !== 'si' && kind !== 'sl') {
        throw new CliError(`cannot tell SI from SL (root <${rootElement(xml) ?? '?'}>); use --type si|sl`);
      }
      try {
        const content = compilePushContent(`text/vnd.wap.${kind}`, Buffer.from(xml));
        const wsp = encodeWspPush({ tid: opts.tid, applicationId: opts.appId, ...content });
        const segments = wapPushSegments(wsp, opts.reference);
        if (opts.json) {
          io.out(
            JSON.stringify({
              contentType: content.contentType,
              wbxml: content.body.toString('hex'),
              wsp: wsp.toString('hex'),
              segments: segments.map((s) => ({ udh: s.udh.toString('hex'), ud: s.ud.toString('hex') })),
            }),
          );
          return;
        }
        io.out(`content-type  ${content.contentType}`);
        io.out(`wbxml         ${content.body.toString('hex')}`);
        io.out(`wsp           ${wsp.toString('hex')}`);
        for (const s of segments) {
          io.out(`sms ${s.pkNumber}/${s.pkTotal}  udh ${s.udh.toString('hex')}  ud ${s.ud.toString('hex')}`);
        }
      } catch (err) {
        if (err instanceof WapTransformError) throw new CliError(err.message);
        throw err;
      }
    });
}
