export type Flow = 'accepted' | 'submitted' | 'reports' | 'mo';

/** One second of traffic: `t` is the epoch second. */
export interface FlowPoint {
  t: number;
  accepted: number;
  submitted: number;
  reports: number;
  mo: number;
}

const point = (t: number): FlowPoint => ({ t, accepted: 0, submitted: 0, reports: 0, mo: 0 });

/** Messages accepted, segments submitted, reports and MO per second over the last `seconds`. */
export class Throughput {
  /** Seconds that saw traffic, oldest first. */
  private readonly points: FlowPoint[] = [];

  constructor(readonly seconds = 300) {}

  add(flow: Flow, n: number, now = Date.now()): void {
    if (n === 0) return;
    const t = Math.floor(now / 1000);
    let last = this.points[this.points.length - 1];
    if (last?.t !== t) {
      last = point(t);
      this.points.push(last);
      while (this.points[0].t <= t - this.seconds) this.points.shift();
    }
    last[flow] += n;
  }

  /** Every second from `seconds` ago up to the last complete one, quiet seconds as zeros. */
  series(now = Date.now()): FlowPoint[] {
    const end = Math.floor(now / 1000);
    const byT = new Map(this.points.map((p) => [p.t, p]));
    const out: FlowPoint[] = [];
    for (let t = end - this.seconds; t < end; t++) out.push(byT.get(t) ?? point(t));
    return out;
  }
}
