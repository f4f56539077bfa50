// The contract on a real AppHost (sim workspace, real SQLite journal): valid commands, fuzzing, and no leaked secrets.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { AppHost } from '../../../core/app/app-host.js';
import { createDispatcher, type Dispatcher } from '../../../core/app/dispatcher.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { INVOKE, INVOKE_CHANNELS, resultSchema } from '../../../core/contract/index.js';
import { PassphraseFileStore } from '../../../core/secrets/index.js';
import { mutated } from '../../unit/contract/arbitraries.js';
import { VALID_REQUESTS } from '../../unit/contract/samples.js';

const envelope = resultSchema(z.unknown());
let host: AppHost | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function open(extraAccounts: unknown[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-host-'));
  const lines: string[] = [];
  const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: (l) => lines.push(l) });
  const secrets = await PassphraseFileStore.open({ file: join(dataDir, 'secrets.enc.json'), passphrase: 'test-pass', cost: 2 ** 12 });
  const config = parseWorkspaceConfig({
    accounts: [
      { id: 'lead', label: 'Leader', broker: 'sim' },
      { id: 'f1', label: 'Follower 1', broker: 'sim' },
      { id: 'spare', label: 'Spare', broker: 'sim' },
      ...extraAccounts,
    ],
    links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' } }],
  });
  host = await AppHost.open({ dataDir, secrets, log, config, env: {}, accountRefreshMs: 60_000 });
  await host.start();
  return { host, dataDir, lines, dispatcher: createDispatcher(host, { coalesceMs: 1 }) };
}

/** Everything a refused command must leave unchanged: config, trading and breaker state, journal contents. */
async function fingerprint(h: AppHost, d: Dispatcher): Promise<string> {
  const snap = h.snapshot();
  const counts = h.journal.queries.counts();
  const audit = await d.dispatch('audit:list', { limit: 1 }, 'probe');
  return JSON.stringify({
    accounts: snap.accounts.map((a) => [a.id, a.label, a.enabled, a.hasCredentials, a.tradingState]),
    links: snap.links,
    trading: snap.trading,
    breakers: snap.breakers,
    counts: [counts.copies, counts.alerts, counts.rejects],
    audit: (audit as { value: { total: number } }).value.total,
  });
}

describe('contract on a real AppHost', () => {
  it('runs commands and queries with contract-valid results', async () => {
    const { dispatcher: d, host: h } = await open();
    const snap = await d.dispatch('workspace:snapshot', undefined, 'it');
    expect(snap.ok, JSON.stringify(snap)).toBe(true);
    expect(await d.dispatch('engine:pause', {}, 'it')).toEqual({ ok: true, value: null });
    expect(h.snapshot().trading.global).toBe('paused');
    expect(await d.dispatch('engine:start', {}, 'it')).toEqual({ ok: true, value: null });
    const halted = await d.dispatch('engine:halt', { cancelOpenOrders: true }, 'it');
    expect(halted.ok, JSON.stringify(halted)).toBe(true);
    expect(h.snapshot().trading.global).toBe('halted');
    expect(await d.dispatch('engine:start', {}, 'it')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await d.dispatch('engine:resume', {}, 'it')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('followers:set-state', { accountId: 'f1', state: 'paused' }, 'it')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('followers:set-state', { accountId: 'spare', state: 'paused' }, 'it')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await d.dispatch('accounts:remove', { id: 'nobody' }, 'it')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await d.dispatch('accounts:remove', { id: 'f1' }, 'it')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await d.dispatch('links:update', { id: 'lead->f1', patch: { sizing: { mode: 'fixed', value: '2' } } }, 'it')).toEqual({ ok: true, value: null });
    expect((await d.dispatch('accounts:test', { accountId: 'spare' }, 'it')).ok).toBe(true);
    for (const [channel, payload] of [
      ['copies:list', { limit: 5 }],
      ['alerts:list', { unacknowledgedOnly: true }],
      ['audit:list', { actor: 'it' }],
      ['stats:counts', undefined],
      ['copies:export-csv', {}],
    ] as const) {
      const r = await d.dispatch(channel, payload, 'it');
      expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
    }
    const audit = (await d.dispatch('audit:list', { actor: 'it' }, 'it')) as { value: { items: { action: string }[] } };
    expect(audit.value.items.map((i) => i.action)).toContain('halt');
    expect(await d.dispatch('alerts:ack', { ids: 'all' }, 'it')).toEqual({ ok: true, value: null });
  });

  it('refuses a link or account change that makes a follower the leader\'s own broker account, changing nothing', async () => {
    const { dispatcher: d, host: h } = await open([{ id: 'loop', label: 'Loop', broker: 'sim', brokerAccountId: 'lead' }]);
    const before = await fingerprint(h, d);
    const loop = "links[1].follower: \"loop\" is the leader's own broker account (sim account \"lead\"); its copies would be copied again in a loop";
    expect(await d.dispatch('links:add', { leader: 'lead', follower: 'loop', sizing: { mode: 'multiplier', value: '-1' } }, 'it')).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: `invalid workspace: ${loop}`, retryable: false },
    });
    const update = await d.dispatch('accounts:update', { id: 'f1', patch: { brokerAccountId: 'lead' } }, 'it');
    expect(update).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('links[0].follower: "f1" is the leader\'s own broker account') } });
    expect(await d.dispatch('accounts:add', { id: 'lead2', label: 'Leader alias', broker: 'sim', brokerAccountId: 'lead' }, 'it')).toEqual({ ok: true, value: null });
    const aliasLink = await d.dispatch('links:add', { leader: 'lead2', follower: 'spare', sizing: { mode: 'multiplier', value: '1' } }, 'it');
    expect(aliasLink).toEqual({ ok: true, value: null });
    expect(await d.dispatch('links:add', { leader: 'spare', follower: 'loop', sizing: { mode: 'multiplier', value: '1' } }, 'it')).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('copy loop through the same broker accounts: spare -> loop -> spare') },
    });
    expect(await d.dispatch('links:remove', { id: 'lead2->spare' }, 'it')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('accounts:remove', { id: 'lead2' }, 'it')).toEqual({ ok: true, value: null });
    const after = JSON.parse(await fingerprint(h, d)) as { audit: number };
    expect({ ...after, audit: 0 }).toEqual({ ...(JSON.parse(before) as object), audit: 0 });
    expect(after.audit).toBe((JSON.parse(before) as { audit: number }).audit + 4);
  });

  it('refuses random and hostile payloads on every channel, leaving state and journal unchanged', async () => {
    const { dispatcher: d, host: h } = await open();
    const before = await fingerprint(h, d);
    for (const channel of INVOKE_CHANNELS) {
      await fc.assert(
        fc.asyncProperty(mutated(VALID_REQUESTS[channel]), async (payload) => {
          fc.pre(!INVOKE[channel].request.safeParse(payload).success);
          const r = await d.dispatch(channel, payload, 'fuzz');
          expect(envelope.safeParse(r).success).toBe(true);
          expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
        }),
        { numRuns: 40, seed: 11 },
      );
    }
    expect(await fingerprint(h, d)).toBe(before);
  });

  it('keeps credentials out of SQLite, logs, snapshots, events and errors', async () => {
    const secrets = ['AKSECRETKEYID000111', 'sk-alpaca-TOPSECRET-987654', 'px-user-SECRETNAME-42', 'px-apikey-TOPSECRET-123456', 'sim-TOPSECRET-key-777', 'sim-TOPSECRET-sec-888'];
    const { dispatcher: d, host: h, dataDir, lines } = await open([
      { id: 'alp', label: 'Alpaca', broker: 'alpaca', endpoints: { rest: 'http://127.0.0.1:9/', stream: 'ws://127.0.0.1:9/' } },
      { id: 'px', label: 'ProjectX', broker: 'projectx', endpoints: { rest: 'http://127.0.0.1:9/', userHub: 'http://127.0.0.1:9/hub' } },
    ]);
    const seen: unknown[] = [];
    const unsubscribe = d.subscribe((channel, payload) => seen.push({ channel, payload }));
    const results: unknown[] = [];
    const run = async (c: string, p: unknown) => results.push(await d.dispatch(c, p, 'it'));
    await run('credentials:set', { accountId: 'alp', credentials: { keyId: secrets[0], secretKey: secrets[1] } });
    await run('credentials:set', { accountId: 'px', credentials: { userName: secrets[2], apiKey: secrets[3] } });
    await run('credentials:set', { accountId: 'spare', credentials: { keyId: secrets[4], secretKey: secrets[5] } });
    await run('credentials:set', { accountId: 'alp', credentials: { keyId: secrets[0], secretKey: secrets[1], extra: secrets[1] } });
    await run('credentials:set', { accountId: 'ghost', credentials: { keyId: secrets[0], secretKey: secrets[1] } });
    await run('credentials:set', { accountId: 'alp', credentials: { keyId: secrets[0], apiKey: secrets[1] } });
    await run('accounts:test', { accountId: 'alp' });
    await run('accounts:test', { accountId: 'px' });
    await run('workspace:snapshot', undefined);
    await run('alerts:list', { limit: 100 });
    await run('audit:list', { limit: 100 });
    await new Promise((r) => setTimeout(r, 20));
    const snapshot = (results[8] as { value: { accounts: { id: string; hasCredentials: boolean }[] } }).value;
    expect(snapshot.accounts.filter((a) => a.hasCredentials).map((a) => a.id)).toEqual(expect.arrayContaining(['alp', 'px', 'spare']));
    unsubscribe();
    await h.close();
    host = undefined;
    const files = readdirSync(dataDir).map((f) => [f, readFileSync(join(dataDir, f)).toString('latin1')] as const);
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['journal.sqlite', 'mirrordesk.log', 'secrets.enc.json']));
    const haystacks: (readonly [string, string])[] = [
      ...files,
      ['console', lines.join('\n')],
      ['events', JSON.stringify(seen)],
      ['results', JSON.stringify(results)],
    ];
    for (const [where, text] of haystacks) for (const s of secrets) expect(text.includes(s), `${s} found in ${where}`).toBe(false);
    expect(seen.length).toBeGreaterThan(0);
    const stored = await PassphraseFileStore.open({ file: join(dataDir, 'secrets.enc.json'), passphrase: 'test-pass' });
    expect(await stored.get('alp')).toContain(secrets[1]);
    expect(JSON.stringify(results[6])).toMatch(/"ok":(true|false)/);
  });
});
