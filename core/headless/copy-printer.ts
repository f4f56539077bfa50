// Prints one line per copied leader execution: the leader fill, then each follower order with size, status and latency.
import type { CopyIntent } from '../ports/journal.js';
import type { Execution } from '../domain/order.js';
import { isTerminal } from '../domain/order-fsm.js';

interface Group {
  readonly intents: Map<string, CopyIntent>;
  printed: boolean;
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);

function followerPart(i: CopyIntent): string {
  const sym = i.symbol === i.leaderSymbol ? '' : ` ${i.symbol}`;
  const price = i.avgFillPrice ? ` @${i.avgFillPrice.toString()}` : '';
  const end = i.ackAt ?? i.filledAt;
  const latency = end !== undefined ? ` ${end - i.leaderReceivedAt}ms` : '';
  const plan = i.planLatencyMs !== undefined ? ` (plan ${i.planLatencyMs.toFixed(3)}ms)` : '';
  const why = i.error ? ` - ${i.error}` : '';
  return `${i.followerAccountId} ${i.side.toUpperCase()} ${i.qty.toString()}${sym} ${i.status}${price}${latency}${plan}${why}`;
}

export class CopyPrinter {
  private readonly groups = new Map<string, Group>();
  /** Leader executions by id, until their copies are printed. */
  private readonly executions = new Map<string, Execution>();
  /** Intents already printed (bounded): their late updates print nothing; a later attempt still prints. */
  private readonly printed = new Set<string>();

  constructor(private readonly write: (line: string) => void) {}

  onExecution(exec: Execution, duplicate: boolean): void {
    if (duplicate) {
      this.write(`${time(exec.time)} duplicate leader execution ${exec.id} ignored`);
      return;
    }
    this.executions.set(exec.id, exec);
    if (this.executions.size > 10_000) this.executions.delete(this.executions.keys().next().value!);
  }

  onIntent(intent: CopyIntent): void {
    if (this.printed.has(intent.id)) return;
    let g = this.groups.get(intent.sourceId);
    if (!g) {
      g = { intents: new Map(), printed: false };
      this.groups.set(intent.sourceId, g);
    }
    g.intents.set(intent.id, intent);
    if (g.printed || ![...g.intents.values()].every((i) => isTerminal(i.status))) return;
    g.printed = true;
    this.groups.delete(intent.sourceId);
    for (const id of g.intents.keys()) this.printed.add(id);
    while (this.printed.size > 10_000) this.printed.delete(this.printed.values().next().value!);
    const first = [...g.intents.values()][0]!;
    const exec = this.executions.get(first.sourceId);
    this.executions.delete(first.sourceId);
    const leader = exec
      ? `${exec.side.toUpperCase()} ${exec.qty.toString()} ${exec.symbol} @${exec.price.toString()}`
      : `${first.leaderSymbol}${first.leaderPrice ? ` @${first.leaderPrice.toString()}` : ''}`;
    const head =
      first.purpose === 'copy'
        ? `${time(first.leaderReceivedAt)} copy ${first.leaderAccountId} ${leader} (${first.sourceId})`
        : `${time(first.createdAt)} ${first.purpose} ${first.followerAccountId} ${first.leaderSymbol}`;
    this.write(`${head} -> ${[...g.intents.values()].map(followerPart).join(' | ')}`);
  }
}
