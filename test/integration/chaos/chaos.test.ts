// Issue 9 chaos test: 20 seeded runs of the headless app (child process, SIGKILLed and restarted at random points)
// against the Alpaca wire simulator with random leader activity and faults; after settling, the simulator's books
// must show no duplicate or unneeded follower order, every follower at its target, and no order after a halt.
// The runs go two at a time before the checks; each prints its seed and timings, and a failing seed prints its
// scenario (reproduce it alone with `npm run chaos -- --runs 1 --seed N`).
import { beforeAll, describe, expect, it } from 'vitest';
import { runChaos, type RunResult } from '../../chaos/run.js';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
/** Two runs at a time: each run is mostly waiting on a child process and the simulator's timers. */
const PARALLEL = 2;
const results = new Map<number, RunResult>();

beforeAll(async () => {
  const started = performance.now();
  const queue = [...SEEDS];
  const lane = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const r = await runChaos(seed);
      results.set(seed, r);
      console.log(`chaos seed ${seed}: ${r.failed ? 'FAIL' : 'ok'} in ${r.ms} ms (${r.kills} kills, ${r.halts} halts; ${r.phases})`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  const sorted = [...results.values()].map((r) => r.ms).sort((a, b) => a - b);
  console.log(`chaos: ${results.size} runs in ${Math.round((performance.now() - started) / 1000)} s (${PARALLEL} at a time); ` +
    `run time median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`);
}, 900_000);

describe('issue 9 chaos: headless app under SIGKILL, restarts and simulator faults', () => {
  it.each(SEEDS)('issue 9 chaos seed %i: no duplicates, converged, no order after halt', (seed) => {
    const r = results.get(seed)!;
    expect(
      { duplicates: r.duplicates, unconverged: r.unconverged, ordersAfterHalt: r.ordersAfterHalt, harnessErrors: r.errors },
      `chaos seed ${seed} failed; reproduce with: npm run chaos -- --runs 1 --seed ${seed}\n${r.detail}`,
    ).toEqual({ duplicates: [], unconverged: [], ordersAfterHalt: [], harnessErrors: [] });
  });
});
