/** A configuration value that is missing, of the wrong kind or out of range; the message starts with its key. */
export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`${key}: ${problem}`);
  }
}

export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `"${value}"` : `${typeof value} ${String(value)}`;
}

/**
 * Reads one object of a configuration (parsed YAML or a plain object) and names the full key in every
 * error, e.g. `accounts.900001.maxConnections`. `done()` rejects keys nobody asked for (typos).
 */
export class ConfigReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): ConfigReader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SimulatorConfigError(path || '(config)', `must be an object, got ${describe(value)}`);
    }
    return new ConfigReader(value as Record<string, unknown>, path);
  }

  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, problem: string): never {
    throw new SimulatorConfigError(this.keyPath(key), problem);
  }

  /** The raw value (undefined when absent or null), marking the key as known. */
  raw(key: string): unknown {
    this.seen.add(key);
    return this.value[key] ?? undefined;
  }

  /** True when the key is present with the value null (YAML `~` or an empty value). */
  isNull(key: string): boolean {
    this.seen.add(key);
    return this.value[key] === null;
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  object(key: string): ConfigReader {
    const value = this.raw(key);
    return ConfigReader.of(value ?? {}, this.keyPath(key));
  }

  string(key: string, fallback: string): string;
  string(key: string): string | undefined;
  string(key: string, fallback?: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') {
      this.fail(
        key,
        `must be a string, got ${describe(value)}${typeof value === 'number' ? ' (quote it)' : ''}`,
      );
    }
    return value;
  }

  number(key: string, range: NumberRange, fallback: number): number;
  number(key: string, range: NumberRange): number | undefined;
  number(key: string, range: NumberRange, fallback?: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    return checkNumber(value, range, this.keyPath(key));
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(key, `must be true or false, got ${describe(value)}`);
    return value;
  }

  list(key: string): unknown[] {
    const value = this.raw(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, `must be a list, got ${describe(value)}`);
    return value;
  }

  /** Throws for the first key that no reader asked for. */
  done(): void {
    const unknown = this.keys().find((k) => !this.seen.has(k));
    if (unknown !== undefined) this.fail(unknown, 'unknown key');
  }
}

export function checkNumber(value: unknown, range: NumberRange, key: string): number {
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new SimulatorConfigError(key, `must be a number, got ${describe(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new SimulatorConfigError(key, `must be an integer, got ${value}`);
  }
  if (value < min || value > max) {
    const bounds = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    throw new SimulatorConfigError(key, `must be ${bounds}, got ${value}`);
  }
  return value;
}
