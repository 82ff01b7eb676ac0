/** What a command needs from the outside world, so that tests can run the CLI in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

/** A user error: one line on stderr, exit code 2, no stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** The argument itself, or standard input when it is "-". */
export async function argOrStdin(arg: string, io: CliIo): Promise<string> {
  return arg === '-' ? (await io.readStdin()).trim() : arg;
}
