// Fidelity: the official Alpaca JS SDK talks to the simulator (auth, submit, read back, trade_updates, errors).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streaming, trading } from '@alpacahq/alpaca-trade-api';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';
import { startSim } from '../../sims/alpaca/harness.js';

describe('official @alpacahq/alpaca-trade-api SDK against the Alpaca simulator', () => {
  let sim: AlpacaSim;
  let keys: SimKeys;
  let stream: streaming.TradingStream | undefined;

  const config = (k: { keyId: string; secret: string }) =>
    new trading.Configuration({ ...k, basePath: sim.restUrl, retry: undefined, rateLimit: undefined });

  beforeEach(async () => {
    sim = await startSim({ seed: 11, partialFillRate: 0 });
    keys = sim.addAccount({ cash: '50000' });
  });

  afterEach(async () => {
    stream?.disconnect();
    stream = undefined;
    await sim.stop();
  });

  it('authenticates, submits an order, reads it back and receives its trade_updates events', async () => {
    const creds = { keyId: keys.keyId, secret: keys.secretKey };
    const account = await new trading.AccountsApi(config(creds)).getAccount();
    expect(account.status).toBe('ACTIVE');
    expect(account.id).toBe(keys.accountId);

    stream = new streaming.TradingStream({ credentials: creds, url: sim.streamUrl, reconnect: false });
    const updates: { event: string; clientOrderId?: string; qty?: unknown; executionId?: unknown }[] = [];
    stream.onTradeUpdate((u) => {
      const rec = u as unknown as { event: string; order: { clientOrderId?: string }; qty?: unknown; executionId?: unknown };
      updates.push({ event: rec.event, clientOrderId: rec.order.clientOrderId, qty: rec.qty, executionId: rec.executionId });
    });
    stream.onConnect(() => stream!.subscribeTradeUpdates());
    const listening = new Promise<unknown>((resolve) => stream!.on('subscription', resolve));
    stream.connect();
    expect((await stream.whenAuthenticated()).authenticated).toBe(true);
    expect(await listening).toEqual(['trade_updates']);

    const orders = new trading.OrdersApi(config(creds));
    const placed = await orders.postOrder({
      postOrderRequest: { symbol: 'AAPL', qty: '5', side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 'sdk-fidelity-1' },
    });
    expect(placed.clientOrderId).toBe('sdk-fidelity-1');
    expect(placed.symbol).toBe('AAPL');

    const byId = await orders.getOrderByOrderID({ orderId: placed.id! });
    expect(byId.clientOrderId).toBe('sdk-fidelity-1');
    const byClient = await orders.getOrderByClientOrderId({ clientOrderId: 'sdk-fidelity-1' });
    expect(byClient.id).toBe(placed.id);

    await expect.poll(() => updates.map((u) => u.event), { timeout: 5000 }).toEqual(['new', 'fill']);
    expect(updates.every((u) => u.clientOrderId === 'sdk-fidelity-1')).toBe(true);
    expect(String(updates[1]!.qty)).toBe('5');
    expect(updates[1]!.executionId).toBeTruthy();
    expect(sim.stream.binary).toBe(true);
  });

  it('sees wrong credentials as 401 on REST and unauthorized on the stream', async () => {
    const bad = { keyId: keys.keyId, secret: 'wrong-secret' };
    const err = await new trading.AccountsApi(config(bad)).getAccount().then(() => undefined, (e: unknown) => e);
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err ?? {}))).toMatch(/401|not authorized/);
    stream = new streaming.TradingStream({ credentials: bad, url: sim.streamUrl, reconnect: false });
    stream.connect();
    expect((await stream.whenAuthenticated()).authenticated).toBe(false);
  });

  it('gets the duplicate client_order_id 422 with Alpaca code 40010001', async () => {
    const orders = new trading.OrdersApi(config({ keyId: keys.keyId, secret: keys.secretKey }));
    const req = { symbol: 'MSFT', qty: '1', side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 'dup-1' } as const;
    await orders.postOrder({ postOrderRequest: req });
    const err = await orders.postOrder({ postOrderRequest: req }).then(() => undefined, (e: unknown) => e);
    const text = JSON.stringify(err, Object.getOwnPropertyNames(err ?? {}));
    expect(text).toMatch(/422/);
    expect(text).toMatch(/client_order_id must be unique|40010001/);
  });
});
