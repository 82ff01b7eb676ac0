import { checkNumber, SimulatorConfigError } from './config-reader.js';

/** Report Stat values with their weights, e.g. DELIVRD 0.95, UNDELIV 0.03, EXPIRED 0.02. */
export type StatMix = readonly { stat: string; weight: number }[];

/** A Stat is at most 7 characters (SPEC3 表一: DELIVRD, UNDELIV, MB:0001, …); shorter ones are 0x00-padded. */
const STAT = /^[A-Z0-9:]{1,7}$/;

export function checkStat(stat: unknown, key: string): string {
  if (typeof stat !== 'string' || !STAT.test(stat)) {
    throw new SimulatorConfigError(
      key,
      `a Stat is 1–7 of A–Z, 0–9 and ':' (e.g. DELIVRD, MB:0001), got ${JSON.stringify(stat)}`,
    );
  }
  return stat;
}

/** Reads "DELIVRD:0.95,UNDELIV:0.03" or { DELIVRD: 0.95, UNDELIV: 0.03 }. Weights need not sum to 1. */
export function parseStatMix(value: unknown, key: string): StatMix {
  let entries: [string, unknown][];
  if (typeof value === 'string') {
    entries = value.split(',').map((part): [string, unknown] => {
      // The weight follows the last colon: Stats such as MB:0001 contain one themselves.
      const colon = part.trim().lastIndexOf(':');
      if (colon <= 0) throw new SimulatorConfigError(key, `"${part.trim()}" is not STAT:weight`);
      return [part.trim().slice(0, colon), Number(part.trim().slice(colon + 1))];
    });
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    entries = Object.entries(value);
  } else {
    throw new SimulatorConfigError(key, 'must be "STAT:weight,…" or an object of weights');
  }
  const mix = entries.map(([stat, weight]) => ({
    stat: checkStat(stat, key),
    weight: checkNumber(weight, { min: 0 }, `${key}.${stat}`),
  }));
  if (!mix.some((m) => m.weight > 0)) {
    throw new SimulatorConfigError(key, 'needs at least one positive weight');
  }
  return mix;
}

/** The Stat whose share of the total weight contains `random` (a number in [0, 1)). */
export function pickStat(mix: StatMix, random: number): string {
  const total = mix.reduce((sum, m) => sum + m.weight, 0);
  let point = random * total;
  let chosen = mix[0].stat;
  for (const m of mix) {
    if (m.weight === 0) continue;
    // The last positive entry also catches a point pushed past the end by rounding.
    chosen = m.stat;
    if (point < m.weight) break;
    point -= m.weight;
  }
  return chosen;
}
