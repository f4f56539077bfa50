// Charts: per-follower day P&L (sampled from live snapshots) and a histogram of copy latency (lightweight-charts).
import { useEffect, useRef, useState } from 'react';
import { createChart, createOptionsChart, HistogramSeries, LineSeries, type IChartApi, type IChartApiBase, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { Pnl } from '../components/badges.js';
import { baseOptions, chartColors, useThemeName } from '../components/chart-theme.js';
import { FirstRun } from '../components/first-run.js';
import { query } from '../state/session.js';
import { useDash } from '../state/store.js';

const BUCKET_MS = 5;
const MAX_BUCKET_MS = 200;
const MIN_RANGE_MS = 50;
const SAMPLE = 500;
const REFRESH_MS = 1_000;

function PnlChart({ followers }: { followers: { id: string; label: string }[] }) {
  const host = useRef<HTMLDivElement>(null);
    const series = useRef(new Map<string, ISeriesApi<'Line'>>());
  const chartRef = useRef<IChartApi | null>(null);
  const pnl = useDash((s) => s.pnl);
  const theme = useThemeName();
  const ids = followers.map((f) => f.id).join('|');
  const followersRef = useRef(followers);
  followersRef.current = followers;

  useEffect(() => {
    if (!host.current) return;
    const c = chartColors();
    const ch = createChart(host.current, { ...baseOptions(c), timeScale: { borderColor: c.grid, timeVisible: true, secondsVisible: true } });
    followersRef.current.forEach((f, i) => {
      series.current.set(f.id, ch.addSeries(LineSeries, { color: c.series[i % c.series.length], lineWidth: 2, title: f.label, priceLineVisible: false }));
    });
    chartRef.current = ch;
    return () => {
      ch.remove();
      chartRef.current = null;
      series.current = new Map();
    };
  }, [ids, theme]);

  useEffect(() => {
    for (const [id, s] of series.current) s.setData((pnl[id] ?? []).map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
    chartRef.current?.timeScale().fitContent();
  }, [pnl, ids, theme]);

  return <div className="chart" ref={host} role="img" aria-label="Day P&L per follower over this session" data-testid="pnl-chart" />;
}

function bucketize(latencies: number[]): { time: number; value: number }[] {
  const counts = new Map<number, number>();
  for (const l of latencies) {
    const b = Math.min(MAX_BUCKET_MS, Math.floor(l / BUCKET_MS) * BUCKET_MS);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const out = [];
  for (let b = 0; b <= Math.max(MIN_RANGE_MS, ...counts.keys()); b += BUCKET_MS) out.push({ time: b, value: counts.get(b) ?? 0 });
  return out;
}

function LatencyHistogram() {
  const host = useRef<HTMLDivElement>(null);
  const series = useRef<ISeriesApi<'Histogram', number> | null>(null);
  const chart = useRef<IChartApiBase<number> | null>(null);
  const tick = useDash((s) => s.copyTick);
  const theme = useThemeName();
  const [stats, setStats] = useState<{ n: number; p50?: number; p95?: number }>({ n: 0 });
  const [data, setData] = useState<{ time: number; value: number }[]>([]);

  // Throttled, not debounced: copies may stream faster than the refresh period.
  const last = useRef(0);
  const pending = useRef(false);
  useEffect(() => {
    if (pending.current) return;
    pending.current = true;
    const wait = Math.max(0, last.current + REFRESH_MS - Date.now());
    const t = window.setTimeout(async () => {
      last.current = Date.now();
      const r = await query('copies:list', { limit: SAMPLE, offset: 0 });
      pending.current = false;
      if (!r.ok) return;
      const l = r.value.items.map((c) => c.latencyMs).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
      const at = (q: number) => l[Math.min(l.length - 1, Math.floor(q * l.length))];
      setStats(l.length ? { n: l.length, p50: at(0.5), p95: at(0.95) } : { n: 0 });
      setData(bucketize(l));
    }, wait);
    return () => {
      window.clearTimeout(t);
      pending.current = false;
    };
  }, [tick]);

  useEffect(() => {
    if (!host.current) return;
    const c = chartColors();
    const ch: IChartApiBase<number> = createOptionsChart(host.current, {
      ...baseOptions(c),
      localization: { priceFormatter: (v: number) => String(Math.round(v)) },
    });
    series.current = ch.addSeries(HistogramSeries, { color: c.accent, priceLineVisible: false, lastValueVisible: false });
    chart.current = ch;
    return () => {
      ch.remove();
      series.current = null;
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    series.current?.setData(data);
    chart.current?.timeScale().fitContent();
  }, [data, theme]);

  return (
    <>
      <div className="chart" ref={host} role="img" aria-label={`Copy latency histogram of the last ${stats.n} copies`} data-testid="latency-chart" />
      <p className="hint tnum" data-testid="latency-stats" data-samples={stats.n}>
        {stats.n} copies · p50 {stats.p50 ?? '—'} ms · p95 {stats.p95 ?? '—'} ms · x axis: latency in ms, buckets of {BUCKET_MS} ms (last bucket {MAX_BUCKET_MS}+ ms)
      </p>
    </>
  );
}

export function ChartsScreen() {
  const snap = useDash((s) => s.snapshot);
  if (!snap) return null;
  if (snap.accounts.length === 0) {
    return (
      <div className="screen">
        <h1>Charts</h1>
        <FirstRun compact />
      </div>
    );
  }
  const followers = snap.accounts.filter((a) => a.role === 'follower');
  return (
    <div className="screen">
      <h1>Charts</h1>
      <div className="cards">
        <section className="card span-2" aria-labelledby="pnl-title">
          <div className="card-head">
            <h2 id="pnl-title">Day P&amp;L per follower</h2>
            <div className="legend">
              {followers.map((f) => (
                <span key={f.id}>
                  {f.label} <Pnl value={f.dayPnl} />
                </span>
              ))}
            </div>
          </div>
          <PnlChart followers={followers.map((f) => ({ id: f.id, label: f.label }))} />
        </section>
        <section className="card span-2" aria-labelledby="latency-title">
          <h2 id="latency-title">Copy latency</h2>
          <LatencyHistogram />
        </section>
      </div>
    </div>
  );
}
