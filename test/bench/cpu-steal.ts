// The share of CPU time the hypervisor gave to other guests while a benchmark ran (the "steal" column of
// /proc/stat): on a shared VM it can take half of every core, and then wall-clock numbers mean little. Benches print
// it beside their results. Linux only; elsewhere it says it cannot tell.
import { readFileSync } from 'node:fs';

interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

function read(): CpuTimes | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest times are already inside user and nice).
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Starts measuring; the returned function describes the steal since then, e.g. "CPU steal 12% (hypervisor)". */
export function stealMeter(): () => string {
  const from = read();
  return () => {
    const to = read();
    if (!from || !to || to.total <= from.total) return 'CPU steal unknown';
    return `CPU steal ${Math.round((100 * (to.steal - from.steal)) / (to.total - from.total))}% (time the hypervisor gave other guests)`;
  };
}
