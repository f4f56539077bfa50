// The command and query table: one handler per contract channel, each calling the host with parsed input.
import type { AccountConfigInput } from '../domain/account-config.js';
import type { AlertId, LinkId } from '../domain/ids.js';
import { ValidationError } from '../domain/errors.js';
import type { LinkConfigInput } from '../domain/workspace-config.js';
import type { InvokeChannel, ParsedRequestOf } from '../contract/channels.js';
import type { DispatchHost } from './dispatch-host.js';

type Handler<C extends InvokeChannel> = (req: ParsedRequestOf<C>, actor: string) => unknown;
export type Handlers = { [C in InvokeChannel]: Handler<C> };

const done = (_ignored?: unknown): null => null;

function globalState(host: DispatchHost): string | undefined {
  const snap = host.snapshot() as { trading?: { global?: string } };
  return snap.trading?.global;
}

export function createHandlers(host: DispatchHost): Handlers {
  const q = host.journal.queries;
  return {
    'workspace:snapshot': () => host.snapshot(),
    'workspace:start-demo': async (_r, actor) => done(await host.startDemo(actor)),
    'workspace:leave-demo': async (_r, actor) => done(await host.leaveDemo(actor)),
    'workspace:demo-burst': (r, actor) => host.demoBurst(r.trades, actor),
    'engine:start': async (r, actor) => {
      const scope = r?.scope ?? 'global';
      if (scope === 'global' && globalState(host) === 'halted') {
        throw new ValidationError('engine', 'copying is halted by the kill switch: resume it deliberately (engine:resume)');
      }
      return done(await host.trading.setTradingState(scope, 'active', actor));
    },
    'engine:pause': async (r, actor) => done(await host.trading.setTradingState(r?.scope ?? 'global', 'paused', actor)),
    'engine:resume': async (r, actor) => done(await host.trading.setTradingState(r?.scope ?? 'global', 'active', actor, r?.mode)),
    'engine:resume-preview': (r) => host.trading.resumePreview(r?.scope ?? 'global'),
    'engine:halt': (r, actor) => host.trading.halt({ ...r, actor }),
    'engine:reconcile': async (_r, actor) => done(await host.trading.reconcileNow(actor)),
    'breaker:reset': async (r, actor) => done(await host.trading.resetBreaker(r.scope, actor)),
    'followers:set-state': async (r, actor) => done(await host.trading.setTradingState(r.accountId, r.state, actor, r.state === 'active' ? r.mode : undefined)),
    'accounts:add': async (r, actor) => done(await host.addAccount(r as AccountConfigInput, actor)),
    'accounts:update': async (r, actor) => done(await host.updateAccount(r.id, r.patch as Partial<AccountConfigInput>, actor)),
    'accounts:remove': async (r, actor) => done(await host.removeAccount(r.id, actor)),
    'accounts:test': (r) => host.credentials.test(r.accountId),
    'credentials:set': async (r, actor) => done(await host.credentials.set(r.accountId, r.credentials, actor)),
    'credentials:protect': (r, actor) => host.credentials.protect(r.passphrase, actor),
    'credentials:delete': async (r, actor) => done(await host.credentials.delete(r.accountId, actor)),
    'links:add': async ({ start, orders, ...cfg }, actor) => done(await host.addLink(cfg as LinkConfigInput, actor, start, orders)),
    'links:preview': (r) => host.previewLink(r as LinkConfigInput),
    'sync:view': (r) => host.syncView(r?.followerAccountId),
    'sync:apply': (r, actor) => host.syncApply(r, actor),
    'links:update': async (r, actor) => done(await host.updateLink(r.id as LinkId, r.patch as Partial<LinkConfigInput>, actor)),
    'links:remove': async (r, actor) => done(await host.removeLink(r.id as LinkId, actor)),
    'alerts:ack': (r, actor) => done(host.acknowledgeAlerts(r.ids === 'all' ? 'all' : (r.ids as AlertId[]), actor)),
    'alerts:list': (r) => {
      const { limit, cursor, offset, ...filter } = r;
      return q.listAlerts(filter as never, { limit, cursor, offset } as never);
    },
    'copies:list': (r) => {
      const { limit, cursor, offset, ...filter } = r;
      return q.listCopies(filter as never, { limit, cursor, offset } as never);
    },
    'copies:get': (r) => {
      const detail = q.getCopy(r.id as never) as { copy: object } | undefined;
      if (!detail) throw new ValidationError('id', `no copy "${r.id}"`);
      const { copy, ...rest } = detail;
      return { ...copy, ...rest };
    },
    'copies:export-csv': (r) => ({ csv: q.exportCopiesCsv(r as never) }),
    'audit:list': (r) => {
      const { limit, cursor, offset, ...filter } = r;
      return q.listAudit(filter as never, { limit, cursor, offset } as never);
    },
    'stats:counts': () => q.counts(),
    'stats:followers': (r) => host.followerStats(r ?? {}),
    'stats:day-pnl': (r) => host.dayPnlHistory(r.accountId, r.days),
    'risk:status': (r) => host.risk.status(r?.accountId),
    'risk:set-guards': async (r, actor) => done(await host.risk.setGuards(r.accountId, r.guards, actor)),
    'risk:lock': async (r, actor) => done(await host.risk.lock(r.accountId, r.reason, actor)),
    'risk:unlock': async (r, actor) => done(await host.risk.unlock(r.accountId, r.reason, actor)),
  };
}
