// In-page probes of the dashboard benchmark (test/bench/dashboard-bench.ts): frame times, contract message timeline,
// the first row's paint (Element Timing). Plain script text where it runs in the page: no bundler helpers inside.
import type { Page } from 'playwright-core';

/** Records requestAnimationFrame deltas in the page while `run` goes (plain script text: no bundler helpers inside). */
export async function frameTimes(page: Page, run: () => Promise<void>): Promise<number[]> {
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__rec = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__rec) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await run();
  return page.evaluate(`(() => {
    window.__rec = false;
    return window.__frames.slice(1);
  })()`);
}

/** In-page: records when each contract request is sent and its reply arrives (by request id), and reply sizes; and
 * when the browser painted the first row (Element Timing on its time cell, renderer/screens/activity.tsx). */
export const WS_PROBE = `(() => {
  window.__painted = undefined;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.identifier === 'activity:first-row' && window.__painted === undefined) window.__painted = e.renderTime || e.loadTime;
    }).observe({ type: 'element', buffered: true });
  } catch {}
  const Native = window.WebSocket;
  window.__ws = [];
  const names = new Map();
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      window.__ws.push({ what: 'ws open() called', at: performance.now() });
      // Queries named in the URL are answered on connect with ids first:<index>.
      try {
        const first = JSON.parse(new URL(String(a[0])).searchParams.get('first') ?? '[]');
        first.forEach((q, i) => names.set('first:' + i, q.channel + ' (in the URL)'));
      } catch {}
      this.addEventListener('open', () => window.__ws.push({ what: 'ws open', at: performance.now() }));
      this.addEventListener('message', (e) => {
        try {
          const m = JSON.parse(e.data);
          const ch = names.get(m.id);
          if (ch) window.__ws.push({ what: ch + ' reply ' + Math.round(e.data.length / 1024) + ' KiB', at: performance.now() });
        } catch {}
      });
    }
    send(data) {
      try {
        const m = JSON.parse(data);
        if (m.id !== undefined && m.channel) {
          names.set(m.id, m.channel);
          window.__ws.push({ what: m.channel + ' sent', at: performance.now() });
        }
      } catch {}
      super.send(data);
    }
  };
})()`;

/** When the first row was painted (polled from here: the page's CSP forbids the string predicates of waitForFunction). */
export async function paintedAt(page: Page): Promise<number> {
  for (let waited = 0; waited < 30_000; waited += 20) {
    const at = (await page.evaluate('window.__painted')) as number | undefined;
    if (at !== undefined) return at;
    await page.waitForTimeout(20);
  }
  return NaN;
}

/** In-page: the navigation, bundle and contract milestones up to the rows mark, as one line. */
export const TIMELINE = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const js = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.js'));
  const ev = [
    ['html', nav?.responseEnd], ['bundle loaded', js?.responseEnd], ['DOMContentLoaded', nav?.domContentLoadedEventEnd],
    ...window.__ws.map((w) => [w.what, w.at]),
    ['rows mark', performance.getEntriesByName('activity:rows')[0]?.startTime],
    ['first row painted', window.__painted],
  ].filter(([, t]) => t !== undefined).sort((a, b) => a[1] - b[1]);
  return ev.map(([w, t]) => w + ' ' + t.toFixed(0)).join(', ');
})()`;
