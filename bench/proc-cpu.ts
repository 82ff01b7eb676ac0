import { readFileSync } from 'node:fs';

/* CPU time of processes by pid, from /proc (Linux): to print CPU per process over a benchmark phase. */

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process so far (0 when it cannot be read). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Samples the named processes now; the returned function gives each one's CPU % since then. */
export function cpuMeter(pids: Record<string, number>): () => string {
  const start = Date.now();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return () => {
    const seconds = (Date.now() - start) / 1000;
    return Object.entries(pids)
      .map(([name, pid]) => `${name} ${Math.round(((cpuSeconds(pid) - before[name]) / seconds) * 100)}%`)
      .join(', ');
  };
}
