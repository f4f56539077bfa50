// Day P&L history of one account (stats:day-pnl): a bar per trading day from the journal, so it survives a reload
// and a restart, with the days listed beside it.
import { useEffect, useRef, useState } from 'react';
import { createChart, HistogramSeries, type IChartApi, type ISeriesApi, type Time } from 'lightweight-charts';
import type { DayPnlRowView } from '../../core/contract/index.js';
import { Pnl } from '../components/badges.js';
import { baseOptions, chartColors, useThemeName } from '../components/chart-theme.js';
import { SelectField } from '../components/field.js';
import { money } from '../format.js';
import { query } from '../state/session.js';

const RANGES = [
  ['7', '7 days'],
  ['30', '30 days'],
  ['90', '90 days'],
] as const;
type Range = (typeof RANGES)[number][0];
const REFRESH_MS = 5_000;
const LISTED = 7;

interface AccountRef {
  readonly id: string;
  readonly label: string;
  readonly role: string;
}

function useHistory(accountId: string, days: number): { rows: DayPnlRowView[]; error: string | null } {
  const [rows, setRows] = useState<DayPnlRowView[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!accountId) return;
    let live = true;
    const load = async () => {
      const r = await query('stats:day-pnl', { accountId, days });
      if (!live) return;
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setRows(r.value.days);
    };
    void load();
    const t = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(t);
    };
  }, [accountId, days]);
  return { rows, error };
}

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function DayPnlChart({ rows, label }: { rows: DayPnlRowView[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Histogram'> | null>(null);
  const theme = useThemeName();
  useEffect(() => {
    if (!host.current) return;
    const ch = createChart(host.current, baseOptions(chartColors()));
    series.current = ch.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false });
    chart.current = ch;
    return () => {
      ch.remove();
      chart.current = null;
      series.current = null;
    };
  }, [theme]);
  useEffect(() => {
    const pos = css('--pos', '#2fbf71');
    const neg = css('--neg', '#f0524f');
    series.current?.setData(
      rows.map((r) => ({ time: r.tradingDay as Time, value: Number(r.dayPnl), color: r.dayPnl.startsWith('-') ? neg : pos })),
    );
    // Every bar whole (fitContent cuts the first and last bars in half), with room on both sides.
    if (rows.length > 0) chart.current?.timeScale().setVisibleLogicalRange({ from: -0.75, to: Math.max(rows.length, 5) - 0.25 });
  }, [rows, theme]);
  return <div className="chart" ref={host} role="img" aria-label={`Day P&L of ${label} per trading day`} data-testid="day-pnl-chart" data-days={rows.length} />;
}

export function DayPnlSection({ accounts }: { accounts: readonly AccountRef[] }) {
  const first = accounts.find((a) => a.role === 'follower') ?? accounts[0];
  const [accountId, setAccountId] = useState(first?.id ?? '');
  const [range, setRange] = useState<Range>('30');
  const chosen = accounts.some((a) => a.id === accountId) ? accountId : (first?.id ?? '');
  const { rows, error } = useHistory(chosen, Number(range));
  const label = accounts.find((a) => a.id === chosen)?.label ?? chosen;
  const options = accounts.map((a) => [a.id, `${a.label} (${a.role})`] as const);
  const listed = rows.slice(-LISTED).reverse();
  return (
    <section className="card stats-section" aria-labelledby="day-pnl-title">
      <div className="card-head">
        <h2 id="day-pnl-title">Day P&amp;L history</h2>
        <div className="filters">
          <SelectField label="Account" className="inline" value={chosen} options={options} onChange={setAccountId} testId="day-pnl-account" />
          <SelectField label="Show" className="inline" value={range} options={RANGES} onChange={setRange} testId="day-pnl-range" />
        </div>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      <div className="day-pnl">
        <DayPnlChart rows={rows} label={label} />
        <table className="grid" data-testid="day-pnl-table">
          <thead>
            <tr>
              <th>Trading day</th>
              <th className="num">Day P&amp;L</th>
              <th className="num">Equity</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((r) => (
              <tr key={r.tradingDay} data-testid="day-pnl-row" data-day={r.tradingDay}>
                <td className="tnum">{r.tradingDay}</td>
                <td className="num"><Pnl value={r.dayPnl} /></td>
                <td className="num">{money(r.equity)} <span className="muted">{r.currency}</span></td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={3} className="muted">Nothing recorded yet: a day is recorded once the account reports its balance.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p className="hint">
        One bar per trading day (futures and simulated accounts: 17:00 Chicago; Alpaca accounts: midnight New York; or the
        account&apos;s own trading-day setting), as the broker last reported it that day. Kept in the journal.
      </p>
    </section>
  );
}
