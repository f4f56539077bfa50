// ProjectX contract resolution: futures root -> active contract (tick size/value) and contract id -> root, cached and
// shared by every account of a login. Every active contract is read at login and every half hour (Contract/available),
// so a leader's first trade and a follower's first copy need no read; Contract/search and searchById cover the rest.
import { Decimal } from '../../domain/decimal.js';
import { BrokerError } from '../../domain/errors.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { ProjectXClient } from './client.js';
import { contractSchema, parseWith, rootOf, type PxContract } from './parse.js';

/** Active contracts roll: resolutions are refreshed after this long. */
const TTL_MS = 3_600_000;

export class ContractBook {
  private readonly bySymbol = new Map<string, { inst: Instrument; at: number }>();
  private readonly rootById = new Map<string, string>();
  private readonly byId = new Map<string, PxContract>();
  private readonly prices = new Map<string, Decimal>();
  private readonly pending = new Map<string, Promise<PxContract>>();
  private listing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly client: ProjectXClient, private readonly clock: Clock) {}

  /** Reads every active contract now and every half hour until stop(); a failed read leaves lookups to search. */
  start(): Promise<void> {
    this.stop();
    const again = (): void => {
      this.timer = this.clock.setTimer(TTL_MS / 2, () => {
        void this.preload();
        again();
      });
    };
    again();
    return this.preload();
  }

  stop(): void {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private preload(): Promise<void> {
    this.listing ??= this.client
      .call<{ contracts?: unknown }>('Contract/available', { live: false }, { priority: 'query' })
      .then((body) => {
        const fresh = new Map<string, Instrument>();
        for (const row of Array.isArray(body.contracts) ? body.contracts : []) {
          const r = parseWith(contractSchema, row);
          if (!r.ok) continue;
          const c = r.value;
          const root = rootOf(c.name);
          this.rootById.set(c.id, root);
          this.byId.set(c.id, c);
          if (c.activeContract && !fresh.has(root) && c.tickSize.gt(0) && c.tickValue.gt(0)) fresh.set(root, instrumentOf(root, c));
        }
        const at = this.clock.now();
        for (const [root, inst] of fresh) this.bySymbol.set(root, { inst, at });
      })
      .catch(() => undefined)
      .finally(() => (this.listing = undefined));
    return this.listing;
  }

  /** The active contract of a root (MES, ES, MNQ); a definite not_found when there is none. */
  async instrument(symbol: string): Promise<Instrument> {
    const key = symbol.trim().toUpperCase();
    const hit = this.bySymbol.get(key);
    if (hit && this.clock.now() - hit.at < TTL_MS) return hit.inst;
    if (!/^[A-Z0-9]{1,10}$/.test(key)) throw new BrokerError('not_found', `ProjectX: "${symbol}" is not a futures root`);
    const body = await this.client.call<{ contracts?: unknown }>('Contract/search', { searchText: key, live: false }, { priority: 'query' });
    const rows = Array.isArray(body.contracts) ? body.contracts : [];
    const contracts: PxContract[] = [];
    for (const row of rows) {
      const r = parseWith(contractSchema, row);
      if (r.ok) contracts.push(r.value);
    }
    for (const c of contracts) {
      this.rootById.set(c.id, rootOf(c.name));
      this.byId.set(c.id, c);
    }
    const active = contracts.find((c) => c.activeContract && rootOf(c.name) === key);
    if (!active) throw new BrokerError('not_found', `ProjectX has no active contract for ${key}`);
    if (!active.tickSize.gt(0) || !active.tickValue.gt(0)) {
      throw new BrokerError('protocol', `ProjectX contract ${active.id} has no usable tick size/value`);
    }
    const inst = instrumentOf(key, active);
    this.bySymbol.set(key, { inst, at: this.clock.now() });
    return inst;
  }

  /** The root symbol of any contract id (also expired ones), asking the broker once per id. */
  async symbolOf(contractId: string): Promise<string> {
    return this.rootById.get(contractId) ?? rootOf((await this.contract(contractId)).name);
  }

  /** A contract already resolved (no request), for synchronous valuation. */
  known(contractId: string): PxContract | undefined {
    return this.byId.get(contractId);
  }

  /** The last traded price the login has seen on a contract (its own fills: no market data subscription). */
  lastPrice(contractId: string): Decimal | undefined {
    return this.prices.get(contractId);
  }

  notePrice(contractId: string, price: Decimal): void {
    this.prices.set(contractId, price);
  }

  /** One contract by id (tick size and value of the contract a position is held in), asked once per id. */
  contract(contractId: string): Promise<PxContract> {
    const known = this.byId.get(contractId);
    if (known) return Promise.resolve(known);
    let p = this.pending.get(contractId);
    if (!p) {
      p = this.client
        .call<{ contract?: unknown }>('Contract/searchById', { contractId }, { priority: 'query' })
        .then((body) => {
          const r = parseWith(contractSchema, body.contract);
          if (!r.ok) throw new BrokerError('protocol', `ProjectX Contract/searchById ${contractId}: ${r.error}`);
          this.rootById.set(contractId, rootOf(r.value.name));
          this.byId.set(contractId, r.value);
          return r.value;
        })
        .finally(() => this.pending.delete(contractId));
      this.pending.set(contractId, p);
    }
    return p;
  }
}

/** The Instrument of a root's active contract (whole contracts, tick value per tick). */
const instrumentOf = (root: string, c: PxContract): Instrument => ({
  symbol: root, assetClass: 'future', contractId: c.id, lotSize: Decimal.ONE, fractionable: false,
  tickSize: c.tickSize, tickValue: c.tickValue, multiplier: c.tickValue.div(c.tickSize),
  currency: 'USD', shortable: true, tradable: true,
});
