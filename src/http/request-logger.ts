import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Log = (...args: unknown[]) => void;

/**
 * A request's logger that makes its pino child only when something logs through it. Fastify makes one per
 * request, and a pino child of the gateway's logger runs the redaction over its bindings (~3 µs); the
 * API's handlers log only failures.
 */
class LazyRequestLogger {
  private made?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  fatal(...args: unknown[]): void {
    (this.real.fatal as Log)(...args);
  }
  error(...args: unknown[]): void {
    (this.real.error as Log)(...args);
  }
  warn(...args: unknown[]): void {
    (this.real.warn as Log)(...args);
  }
  info(...args: unknown[]): void {
    (this.real.info as Log)(...args);
  }
  debug(...args: unknown[]): void {
    (this.real.debug as Log)(...args);
  }
  trace(...args: unknown[]): void {
    (this.real.trace as Log)(...args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: each request's logger, made on its first use. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
