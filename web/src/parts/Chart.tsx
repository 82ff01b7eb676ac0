import type { FlowPoint } from '../types.js';

const SERIES = [
  { key: 'submitted', label: 'submitted', color: '#2563eb' },
  { key: 'reports', label: 'reports', color: '#16a34a' },
  { key: 'mo', label: 'MO', color: '#d97706' },
] as const;

/** The plot's own units: it is stretched to the box, lines keep their width (non-scaling-stroke). */
const W = 1000;
const H = 100;

/** Submitted segments, reports and MO per second over the series' span, as an SVG line chart. */
export function ThroughputChart({ series }: { series: FlowPoint[] }) {
  if (series.length < 2) return <p class="muted">Collecting data…</p>;
  const t0 = series[0].t;
  const span = Math.max(1, series[series.length - 1].t - t0);
  const max = Math.max(1, ...series.flatMap((p) => SERIES.map((s) => p[s.key])));
  const x = (t: number) => ((t - t0) / span) * W;
  const y = (v: number) => H - (v / max) * H * 0.95;
  const last = series[series.length - 1];
  return (
    <figure class="chart">
      <div class="plot">
        <span class="tick top">{max}/s</span>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label="throughput per second"
        >
          <line x1={0} y1={H} x2={W} y2={H} class="axis" vector-effect="non-scaling-stroke" />
          {SERIES.map((s) => (
            <polyline
              key={s.key}
              fill="none"
              stroke={s.color}
              stroke-width="2"
              vector-effect="non-scaling-stroke"
              points={series.map((p) => `${x(p.t).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' ')}
            />
          ))}
        </svg>
        <div class="ticks">
          <span class="tick">−{Math.round(span / 60)} min</span>
          <span class="tick">now</span>
        </div>
      </div>
      <figcaption>
        {SERIES.map((s) => (
          <span key={s.key} class="legend">
            <i style={{ background: s.color }} /> {s.label} <b data-flow={s.key}>{last[s.key]}</b>/s
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
