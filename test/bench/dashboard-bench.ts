// Benchmark (a script, not a test): the Activity page in Chromium with 10,000 copies in the journal; time to first
// render, then frame times while 50 copies/s stream in (at the top of the list, then scrolled into the middle).
// Run: npx tsx test/bench/dashboard-bench.ts [--copies 10000] [--rate 50] [--seconds 10] [--loads 3] [--against <dir>]
// --against: also serves another renderer build (say main's out/renderer) and alternates the page loads between the two
// (same browser, same journal, same minute), printing both and the paired differences: a busy machine moves both alike.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppHost } from '../../core/app/app-host.js';
import { demoWorkspace, DEMO_LEADER } from '../../core/app/demo-workspace.js';
import { createDispatcher } from '../../core/app/dispatcher.js';
import type { DispatchHost } from '../../core/app/dispatch-host.js';
import { createLogger } from '../../core/app/logger.js';
import { dec } from '../../core/domain/decimal.js';
import { accountId, clientOrderId, executionId, intentId, linkId } from '../../core/domain/ids.js';
import type { Execution } from '../../core/domain/order.js';
import { startBridge } from '../../core/headless/bridge-server.js';
import type { CopyIntent } from '../../core/ports/journal.js';
import { MemorySecretStore } from '../../core/secrets/index.js';
import { launchChromium } from '../e2e/support/browser.js';
import { stealMeter } from './cpu-steal.js';
import { buildRenderer, RENDERER_OUT } from '../e2e/support/build-renderer.js';
import { frameTimes, paintedAt, TIMELINE, WS_PROBE } from './dashboard-probes.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COPIES = arg('copies', 10_000);
const RATE = arg('rate', 50);
const SECONDS = arg('seconds', 10);
/** Page loads measured for the first render (more give a steadier median on a busy machine). */
const LOADS = arg('loads', 3);
const AGAINST = process.argv.includes('--against') ? process.argv[process.argv.indexOf('--against') + 1] : undefined;
const FOLLOWERS = ['demo-mirror', 'demo-half', 'demo-es'];

/** One leader execution and the follower intent it produced, filled, with realistic timestamps. */
function copyAt(i: number, t: number): { exec: Execution; intent: CopyIntent } {
  const follower = FOLLOWERS[i % FOLLOWERS.length]!;
  const symbol = i % 2 ? 'MES' : 'AAPL';
  const side = i % 4 < 2 ? 'buy' : 'sell';
  const price = dec(symbol === 'MES' ? '5012.25' : '231.40');
  const exec: Execution = {
    id: executionId(`bench-x-${i}`),
    accountId: accountId(DEMO_LEADER),
    symbol,
    side,
    qty: dec(String(1 + (i % 4))),
    price,
    time: t,
  };
  const intent: CopyIntent = {
    id: intentId(`bench-${i}`),
    linkId: linkId(`${DEMO_LEADER}->${follower}`),
    leaderAccountId: accountId(DEMO_LEADER),
    followerAccountId: accountId(follower),
    sourceId: exec.id,
    executionId: exec.id,
    attempt: 0,
    clientOrderId: clientOrderId(`md-bench-${i}`),
    leaderSymbol: symbol,
    symbol,
    side,
    qty: exec.qty,
    orderType: 'market',
    purpose: 'copy',
    dryRun: false,
    target: exec.qty,
    leaderPrice: price,
    status: 'filled',
    filledQty: exec.qty,
    avgFillPrice: price.add(dec(side === 'buy' ? '0.25' : '-0.25')),
    leaderReceivedAt: t,
    createdAt: t,
    sentAt: t + 1,
    ackAt: t + 2 + (i % 7),
    filledAt: t + 4 + (i % 7),
  };
  return { exec, intent };
}

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const f = (v: number) => v.toFixed(1);
  return `n=${s.length} p50=${f(at(0.5))} p95=${f(at(0.95))} p99=${f(at(0.99))} max=${f(s[s.length - 1] ?? NaN)} ms; >33ms: ${s.filter((v) => v > 33.4).length}, >50ms: ${s.filter((v) => v > 50).length}`;
}

async function main(): Promise<void> {
  buildRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'mirrordesk-bench-'));
  const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: () => undefined });
  const host = await AppHost.open({ dataDir, secrets: new MemorySecretStore(), log, config: demoWorkspace() });
  const journal = host.journal;
  const t0 = Date.now() - COPIES * 1_000;
  const seedStart = performance.now();
  const seed = () => {
    for (let i = 0; i < COPIES; i++) {
      const { exec, intent } = copyAt(i, t0 + i * 1_000);
      journal.recordExecution(exec, exec.time, [intent]);
    }
  };
  if (journal.batch) journal.batch(seed);
  else seed();
  console.log(`seeded ${COPIES} copies in ${(performance.now() - seedStart).toFixed(0)} ms`);
  await host.start();

  // The dispatcher sees the host's events plus the synthetic stream's intents (as the engine would emit them).
  const stream = new EventEmitter();
  const dispatchHost = new Proxy(host as unknown as DispatchHost, {
    get(target, key) {
      if (key === 'on') {
        return (event: string, fn: (...a: unknown[]) => void) => {
          const off = (target.on as (e: string, f: (...a: unknown[]) => void) => () => void)(event, fn);
          if (event !== 'intent') return off;
          stream.on('intent', fn);
          return () => {
            off();
            stream.off('intent', fn);
          };
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const bridge = await startBridge({ dispatcher: createDispatcher(dispatchHost), staticDir: RENDERER_OUT, log });
  const other = AGAINST ? await startBridge({ dispatcher: createDispatcher(dispatchHost), staticDir: AGAINST, log }) : null;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(WS_PROBE);
    const builds = [{ name: 'this checkout', url: bridge.url, rows: [] as number[], painted: [] as number[], busy: [] as number[], timelines: [] as string[] }];
    if (other && AGAINST) builds.push({ name: AGAINST, url: other.url, rows: [], painted: [], busy: [], timelines: [] });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? NaN) * 1000;
      return { task: m('TaskDuration'), script: m('ScriptDuration') };
    };
    const load = async (url: string) => {
      await page.goto(`${url}#/activity`);
      await page.locator('[data-testid="copy-row"]').first().waitFor({ timeout: 30_000 });
    };
    const steal = stealMeter();
    for (let k = 0; k < LOADS; k++) {
      // Alternating which build goes first.
      for (const b of k % 2 ? [...builds].reverse() : builds) {
        await page.goto('about:blank');
        const busy0 = await busy();
        await load(b.url);
        b.rows.push((await page.evaluate(`performance.getEntriesByName('activity:rows')[0]?.startTime ?? NaN`)) as number);
        b.painted.push(await paintedAt(page));
        const busy1 = await busy();
        b.busy.push(busy1.task - busy0.task);
        const cpu = `; main thread busy ${(busy1.task - busy0.task).toFixed(0)} ms (script ${(busy1.script - busy0.script).toFixed(0)} ms) up to now`;
        b.timelines.push(((await page.evaluate(TIMELINE)) as string) + cpu);
      }
    }
    // The rest runs on this checkout's build.
    if (other) await load(bridge.url);
    const switches: number[] = [];
    for (let k = 0; k < 5; k++) {
      await page.getByTestId('nav-overview').click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      switches.push(
        (await page.evaluate(`new Promise((resolve) => {
          const start = performance.now();
          const mo = new MutationObserver(() => {
            if (document.querySelector('[data-testid="copy-row"]')) {
              mo.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - start));
            }
          });
          mo.observe(document.body, { childList: true, subtree: true });
          document.querySelector('[data-testid="nav-activity"]').click();
        })`)) as number,
      );
    }
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
      return `${values.map((v) => v.toFixed(0)).join(' / ')} ms (median ${median.toFixed(0)}, min ${(sorted[0] ?? NaN).toFixed(0)})`;
    };
    for (const b of builds) {
      const of = builds.length > 1 ? ` [${b.name}]` : '';
      console.log(`activity, ${COPIES} copies: first render after page load ${summary(b.rows)} (navigation start -> rows mark)${of}`);
      console.log(`activity, ${COPIES} copies: first row painted after page load ${summary(b.painted)} (navigation start -> the browser's paint of the first row, Element Timing)${of}`);
      console.log(`activity, ${COPIES} copies: main thread busy up to the first row ${summary(b.busy)} (less noisy than wall time on a shared machine)${of}`);
      for (const t of b.timelines) console.log(`  first render timeline (ms since navigation start): ${t}`);
    }
    const [mine, theirs] = builds;
    if (mine && theirs) {
      const paired = (a: number[], b: number[]) => summary(a.map((v, i) => v - (b[i] ?? NaN)));
      console.log(`paired differences, this checkout - ${theirs.name} (load k against load k): rows mark ${paired(mine.rows, theirs.rows)}; first row painted ${paired(mine.painted, theirs.painted)}; main thread busy ${paired(mine.busy, theirs.busy)}`);
    }
    console.log(`page loads: ${steal()}`);
    console.log(`activity, ${COPIES} copies: switch from overview to rows ${stats(switches)}`);
    const chartsStart = performance.now();
    await page.getByTestId('nav-charts').click();
    await page.getByTestId('latency-chart').locator('canvas').first().waitFor({ timeout: 30_000 });
    console.log(`charts screen (its chunk loaded on first visit): canvas after ${(performance.now() - chartsStart).toFixed(0)} ms`);
    await page.getByTestId('nav-activity').click();
    await page.locator('[data-testid="copy-row"]').first().waitFor();

    let seq = COPIES;
    const streamFor = async () => {
      const timer = setInterval(() => {
        const { exec, intent } = copyAt(seq++, Date.now());
        journal.recordExecution(exec, exec.time, [intent]);
        stream.emit('intent', intent);
      }, 1_000 / RATE);
      await new Promise((r) => setTimeout(r, SECONDS * 1_000));
      clearInterval(timer);
    };
    const top = await frameTimes(page, streamFor);
    const totalTop = Number(await page.locator('[aria-label="Copies"]').getAttribute('data-total'));
    console.log(`stream ${RATE}/s for ${SECONDS}s at the top: frame times ${stats(top)}; table total ${totalTop} (journal ${seq})`);
    await page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="activity-scroll"]');
      el.scrollTop = el.scrollHeight / 2;
    })()`);
    const topRow = async () =>
      (await page.evaluate(`(() => {
        const r = document.querySelector('[data-testid="activity-scroll"]').getBoundingClientRect();
        return document.elementFromPoint(r.left + 40, r.top + 2)?.closest('[data-id]')?.getAttribute('data-id') ?? null;
      })()`)) as string | null;
    await page.waitForTimeout(500);
    const before = await topRow();
    const mid = await frameTimes(page, streamFor);
    await page.waitForTimeout(500);
    const after = await topRow();
    const totalMid = Number(await page.locator('[aria-label="Copies"]').getAttribute('data-total'));
    console.log(`stream ${RATE}/s for ${SECONDS}s scrolled to the middle: frame times ${stats(mid)}; table total ${totalMid} (journal ${seq}); row at the viewport top ${before} -> ${after} (${before === after ? 'no jump' : 'JUMPED'})`);
  } finally {
    await browser.close();
    await bridge.close();
    await other?.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
