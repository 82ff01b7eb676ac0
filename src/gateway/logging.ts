import { type DestinationStream, type Logger, pino } from 'pino';
import { maskNumber, maskUrl } from './mask.js';

/** Log fields that hold phone numbers, secrets and URLs, at the top level or one object down. */
const NUMBERS = ['to', 'from', 'msisdn'];
const SECRETS = ['secret', 'apiKey', 'key', 'authorization', 'password'];
const URLS = ['url', 'callbackUrl', 'webhookUrl'];
const paths = [...NUMBERS, ...SECRETS, ...URLS].flatMap((f) => [f, `*.${f}`]);

function censor(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1];
  if (SECRETS.includes(field)) return '***';
  if (Array.isArray(value)) return value.map((v) => censor(v, path));
  if (typeof value !== 'string') return value;
  return URLS.includes(field) ? maskUrl(value) : maskNumber(value);
}

/**
 * The gateway's logger: pino JSON lines, with phone numbers masked (138****8000), secrets replaced and
 * URLs stripped of credentials wherever those fields appear. PDU traces (switched on per account) log
 * decoded packets under `pdu`, which is not masked: tracing is the operator asking to see everything.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths, censor } }, destination);
}
