import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { SimulatorConfigError } from './config-reader.js';

/** Reads a YAML config file as is; parseSimulatorConfig checks it (after the CLI has laid its flags over it). */
export async function readSimulatorConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SimulatorConfigError(file, `cannot read: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new SimulatorConfigError(file, `not valid YAML: ${(err as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SimulatorConfigError(file, 'must hold a YAML mapping');
  }
  return value as Record<string, unknown>;
}
