import type { Command } from 'commander';
import {
  type CancelResponse,
  type PapAddress,
  PapClient,
  PapParseError,
  PapResponseError,
  type ProgressNote,
  type PushResponse,
  type StatusQueryResponse,
} from '../wap/index.js';
import { CliError, type CliIo } from './io.js';
import { readInput } from './wap.js';

interface ConnectOptions {
  ppg: string;
  apiKey?: string;
  json?: boolean;
}

interface PushOptions extends ConnectOptions {
  to: string[];
  si?: string;
  sl?: string;
  pushId?: string;
  notify?: string;
  sourceReference?: string;
  progressNotes?: boolean;
}

type Answer = PushResponse | StatusQueryResponse | CancelResponse;

const when = (d?: Date) => (d ? `  ${d.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : '');
const who = (addresses?: PapAddress[]) =>
  addresses?.length ? addresses.map((a) => a.raw).join(', ') : 'all';
const result = (code: number, desc?: string) => `${code}${desc ? ` ${desc}` : ''}`;
const progress = (n: ProgressNote) => `progress ${n.stage}${when(n.time)}${n.note ? `  ${n.note}` : ''}`;

/** The PPG's answer as lines: push id, any progress notes (one per stage), then the result or one per result. */
function describe(answer: Answer): string[] {
  const lines = [`push-id  ${answer.pushId}`];
  if (answer.type === 'push-response') {
    for (const n of answer.progressNotes ?? []) lines.push(progress(n));
    lines.push(`result   ${result(answer.result.code, answer.result.desc)}`);
  }
  if (answer.type === 'cancel-response') {
    for (const r of answer.results) lines.push(`${who(r.addresses)}  ${result(r.code, r.desc)}`);
  }
  if (answer.type === 'statusquery-response') {
    for (const r of answer.results) {
      lines.push(`${who(r.addresses)}  ${r.messageState}  ${result(r.code, r.desc)}${when(r.eventTime)}`);
    }
  }
  return lines;
}

function option(cmd: Command): Command {
  return cmd
    .requiredOption('--ppg <url>', 'the PPG PAP endpoint, e.g. http://localhost:8080/pap')
    .option('--api-key <key>', 'sent as Authorization: Bearer KEY')
    .option('--json', 'print the response as one JSON object');
}

async function run(
  io: CliIo,
  opts: ConnectOptions,
  call: (client: PapClient) => Promise<Answer>,
): Promise<void> {
  if (!/^https?:\/\//i.test(opts.ppg)) throw new CliError(`--ppg must be an http(s) URL, got "${opts.ppg}"`);
  let answer: Answer;
  try {
    answer = await call(new PapClient({ ppg: opts.ppg, apiKey: opts.apiKey }));
  } catch (err) {
    if (err instanceof PapParseError || err instanceof PapResponseError) throw new CliError(err.message);
    throw err;
  }
  if (opts.json) io.out(JSON.stringify(answer));
  else for (const line of describe(answer)) io.out(line);
  const refused = failure(answer);
  if (refused) throw new Error(`the PPG answered ${refused}`);
}

/** The first result code of class 2xxx or above (client, server, service or device failure), if any. */
function failure(answer: Answer): string | undefined {
  const results = answer.type === 'push-response' ? [answer.result] : answer.results;
  const failed = results.find((r) => r.code >= 2000);
  return failed && result(failed.code, failed.desc);
}

const collect = (value: string, list: string[] = []) => [...list, value];

/** `cmppgw pap push|status|cancel`: a Push Initiator for any PPG. */
export function registerPapCommands(program: Command, io: CliIo): void {
  const pap = program.command('pap').description('PAP 2.0 client: push, status, cancel');

  option(pap.command('push').description('push an SI or SL document'))
    .requiredOption('--to <number>', 'recipient phone number or WAPPUSH= address (repeatable)', collect)
    .option('--si <file>', 'Service Indication document')
    .option('--sl <file>', 'Service Loading document')
    .option('--push-id <id>', 'push id (default: a random UUID)')
    .option('--notify <url>', 'ppg-notify-requested-to: where the PPG posts the result')
    .option('--source-reference <text>', "source-reference: the content's source, kept with the push")
    .option('--progress-notes', 'ask for progress notes and print one line per stage passed')
    .action(async (opts: PushOptions) => {
      if (!opts.si === !opts.sl) throw new CliError('give exactly one of --si FILE or --sl FILE');
      const kind = opts.si ? 'si' : 'sl';
      const body = await readInput((opts.si ?? opts.sl) as string, io);
      await run(io, opts, (client) =>
        client.push({
          to: opts.to,
          pushId: opts.pushId,
          ppgNotifyRequestedTo: opts.notify,
          sourceReference: opts.sourceReference,
          progressNotesRequested: opts.progressNotes,
          content: { contentType: `text/vnd.wap.${kind}`, body },
        }),
      );
    });

  for (const [name, what] of [
    ['status', 'query the state of a push'],
    ['cancel', 'cancel a push'],
  ] as const) {
    option(pap.command(name).description(what))
      .requiredOption('--push-id <id>', 'the push id')
      .option('--to <number>', 'only this recipient')
      .action(async (opts: ConnectOptions & { pushId: string; to?: string }) => {
        await run(io, opts, (client) => client[name](opts.pushId, opts.to));
      });
  }
}
