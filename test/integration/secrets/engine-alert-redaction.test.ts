// Engine alerts are redacted where the journal writes them: a broker reject reason that echoes a known secret reaches
// the engine's order_rejected alert, and neither the alerts table nor the published alert may carry it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { registerSecret } from '../../../core/brokers/shared/redact.js';
import type { Alert } from '../../../core/domain/alert.js';
import { openHostWorld, until, type HostWorld } from '../app/host-world.js';

const SECRET = 'PKx9-engine-alert-secret-7Qz';

let world: HostWorld | undefined;
afterEach(async () => {
  await world?.host.stop();
  world = undefined;
});

it('a broker reject echoing a known secret does not carry it into the engine alert, in SQLite or on the wire', async () => {
  registerSecret(SECRET);
  world = await openHostWorld({ accounts: ['lead', 'f1'] });
  const published: Alert[] = [];
  world.host.on('alert', (a: Alert) => published.push(a));
  world.exchange.injectRejects('f1', 1, `invalid api key ${SECRET} for this account`);
  world.trade('AAPL', 'buy', 1);
  await until(() => published.some((a) => a.code === 'order_rejected'), 'the order_rejected alert');
  world.host.journal.flush();
  const db = new Database(join(world.dataDir, 'journal.sqlite'), { readonly: true });
  const rows = db.prepare("SELECT message, details FROM alerts WHERE code = 'order_rejected'").all() as { message: string; details: string | null }[];
  db.close();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.message).toContain('invalid api key ***');
  expect(JSON.stringify(rows)).not.toContain(SECRET);
  expect(JSON.stringify(published)).not.toContain(SECRET);
});
