// Crash-test child: the real engine, SQLite journal and Alpaca adapters in their own process, with a crash point
// (CRASH_AT=before-submit | before-ack) where it announces itself on stdout and hangs until the parent SIGKILLs it.
import { SystemClock } from '../../../core/app/system-clock.js';
import { createAlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import type { AccountId } from '../../../core/domain/ids.js';
import { openJournal } from '../../../core/store/index.js';

const { CRASH_AT, DATA_DIR, WORKSPACE, CREDENTIALS } = process.env;
const workspace = parseWorkspaceConfig(JSON.parse(WORKSPACE!));
const credentials = JSON.parse(CREDENTIALS!) as Record<string, { keyId: string; secretKey: string }>;
const clock = new SystemClock();
const hang = () => new Promise<never>(() => setInterval(() => undefined, 1_000));

/** Once the crash point is reached the process is as good as dead: nothing more reaches the engine. */
let dead = false;

function withCrashPoint(adapter: BrokerAdapter): BrokerAdapter {
  const submitOrder: BrokerAdapter['submitOrder'] = async (req) => {
    if (CRASH_AT === 'before-submit') {
      dead = true;
      process.stdout.write(`CRASH_POINT ${req.clientOrderId}\n`);
      return hang();
    }
    if (CRASH_AT === 'before-ack') {
      dead = true;
      // The request reaches the broker; its answer and stream events never reach the engine.
      await adapter.submitOrder(req).catch(() => undefined);
      process.stdout.write(`CRASH_POINT ${req.clientOrderId}\n`);
      return hang();
    }
    return adapter.submitOrder(req);
  };
  const on: BrokerAdapter['on'] = (event, listener) =>
    adapter.on(event, (e) => {
      if (!dead) listener(e);
    });
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'submitOrder') return submitOrder;
      if (prop === 'on') return on;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const brokers = new Map<AccountId, BrokerAdapter>();
for (const account of workspace.accounts) {
  const adapter = createAlpacaAdapter({ account, credentials: credentials[account.id]!, clock });
  await adapter.connect();
  const isFollower = workspace.links.some((l) => l.follower === account.id);
  brokers.set(account.id, isFollower ? withCrashPoint(adapter) : adapter);
}
const journal = openJournal(`${DATA_DIR}/journal.sqlite`);
const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links: workspace.links, risk: workspace.risk });
engine.on('intent', (i) => process.stdout.write(`INTENT ${i.clientOrderId} ${i.status} ${i.qty.toString()}\n`));
await engine.start();
process.stdout.write(`ARMED ${process.pid}\n`);
process.on('SIGTERM', () => {
  void engine.stop().then(() => {
    journal.close();
    process.exit(0);
  });
});
setInterval(() => undefined, 1_000);
