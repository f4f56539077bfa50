// `npm run chaos -- --runs 500 --seed 1 [--jobs 2] [--verbose]`: seeded chaos runs of the headless app against the
// Alpaca wire simulator (test/chaos); prints each failing seed with its reproduction and one summary line.
import { parseArgs } from 'node:util';
import { runChaos, type RunResult } from '../test/chaos/run.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const first = Number(values.seed);
const jobs = Math.max(1, Number(values.jobs));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(first) || !Number.isInteger(jobs)) {
  process.stderr.write('usage: npm run chaos -- --runs N --seed S [--jobs J] [--verbose]\n');
  process.exit(2);
}

const results: RunResult[] = [];
let next = 0;
const t0 = performance.now();

function print(r: RunResult): void {
  const head = `seed ${r.seed}: ${r.failed ? 'FAIL' : 'ok'} in ${r.ms} ms (${r.kills} kills, ${r.halts} halts; ${r.phases})`;
  process.stdout.write(`${head}\n`);
  if (!r.failed && !values.verbose) return;
  for (const [name, list] of [['duplicate', r.duplicates], ['unconverged', r.unconverged], ['order after halt', r.ordersAfterHalt], ['harness error', r.errors]] as const) {
    for (const line of list) process.stdout.write(`  ${name}: ${line}\n`);
  }
  if (r.failed) process.stdout.write(`${r.detail}\n\n`);
}

async function worker(): Promise<void> {
  while (next < runs) {
    const seed = first + next++;
    const r = await runChaos(seed);
    results.push(r);
    print(r);
  }
}

await Promise.all(Array.from({ length: jobs }, () => worker()));
const count = (f: (r: RunResult) => boolean) => results.filter(f).length;
const times = results.map((r) => r.ms).sort((a, b) => a - b);
process.stdout.write(
  `chaos: runs ${results.length}, duplicates ${count((r) => r.duplicates.length > 0)}, ` +
    `unconverged ${count((r) => r.unconverged.length > 0)}, orders after halt ${count((r) => r.ordersAfterHalt.length > 0)}, ` +
    `harness errors ${count((r) => r.errors.length > 0)}; run time median ${times[Math.floor(times.length / 2)]} ms, ` +
    `max ${times.at(-1)} ms, total ${Math.round((performance.now() - t0) / 1000)} s\n`,
);
const failing = results.filter((r) => r.failed).map((r) => r.seed);
if (failing.length > 0) process.stdout.write(`failing seeds: ${failing.sort((a, b) => a - b).join(' ')}\n`);
process.exit(failing.length > 0 ? 1 : 0);
