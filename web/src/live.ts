import { useEffect, useState } from 'preact/hooks';
import { readEvents } from './sse.js';
import type { FlowPoint, LinkView, Snapshot, StoreStats, Tick } from './types.js';

/** The overview as the event stream keeps it up to date. */
export interface LiveState {
  connected: boolean;
  at: number;
  links: LinkView[];
  store: StoreStats | null;
  reportsByStat: Record<string, number>;
  series: FlowPoint[];
}

const RETRY_MS = 2000;
const SERIES_SECONDS = 300;

let state: LiveState = { connected: false, at: 0, links: [], store: null, reportsByStat: {}, series: [] };
const watchers = new Set<() => void>();
const eventWatchers = new Map<string, Set<(data: unknown) => void>>();

function update(next: Partial<LiveState>): void {
  state = { ...state, ...next };
  for (const w of watchers) w();
}

function onEvent(name: string, data: unknown): void {
  if (name === 'snapshot') {
    const s = data as Snapshot;
    update({
      connected: true,
      at: s.at,
      links: s.links,
      store: s.store,
      reportsByStat: s.reportsByStat,
      series: s.throughput,
    });
  } else if (name === 'tick') {
    const t = data as Tick;
    const last = state.series[state.series.length - 1];
    const series = last && t.point.t <= last.t ? state.series : [...state.series, t.point];
    update({
      at: t.at,
      links: t.links,
      store: t.store,
      reportsByStat: t.reportsByStat,
      series: series.filter((p) => p.t > t.point.t - SERIES_SECONDS),
    });
  } else if (name === 'link') {
    const l = data as LinkView;
    update({ links: state.links.map((x) => (x.account === l.account && x.link === l.link ? l : x)) });
  }
  for (const fn of eventWatchers.get(name) ?? []) fn(data);
}

/** Opens the event stream, reconnecting after a pause whenever it drops; returns the function that stops it. */
export function startLive(): () => void {
  const stop = new AbortController();
  (async () => {
    while (!stop.signal.aborted) {
      try {
        await readEvents('/api/v1/events', onEvent, stop.signal);
      } catch {
        // dropped or refused: shown as disconnected, tried again
      }
      update({ connected: false });
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  })();
  return () => stop.abort();
}

export function useLive(): LiveState {
  const [, rerender] = useState(0);
  useEffect(() => {
    const w = () => rerender((n) => n + 1);
    watchers.add(w);
    return () => void watchers.delete(w);
  }, []);
  return state;
}

/** Calls `fn` for every event `name` (message, mo, webhook, link, tick) while the component is mounted. */
export function useLiveEvent<T>(name: string, fn: (data: T) => void, deps: unknown[]): void {
  useEffect(() => {
    const set = eventWatchers.get(name) ?? new Set();
    eventWatchers.set(name, set);
    const w = fn as (data: unknown) => void;
    set.add(w);
    return () => void set.delete(w);
  }, deps);
}
