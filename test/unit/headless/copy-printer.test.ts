// The headless copy printer: one line per copied leader execution, never repeated by late updates (issue 11).
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId, executionId, intentId, linkId } from '../../../core/domain/ids.js';
import type { Execution } from '../../../core/domain/order.js';
import { CopyPrinter } from '../../../core/headless/copy-printer.js';
import type { CopyIntent } from '../../../core/ports/journal.js';

const exec: Execution = {
  id: executionId('e1'), accountId: accountId('lead'), symbol: 'AAPL', side: 'sell', qty: Decimal.from(1),
  price: Decimal.from(190), time: 0,
};

function intent(status: CopyIntent['status'], attempt = 0): CopyIntent {
  return {
    id: intentId(`i1-${attempt}`), linkId: linkId('lead->f1'), leaderAccountId: accountId('lead'), followerAccountId: accountId('f1'),
    sourceId: 'e1', executionId: executionId('e1'), attempt, clientOrderId: clientOrderId('c1'), leaderSymbol: 'AAPL',
    symbol: 'AAPL', side: 'sell', qty: Decimal.from(1), orderType: 'market', purpose: 'copy', dryRun: false,
    target: Decimal.from(-1), leaderPrice: Decimal.from(190), status, filledQty: Decimal.from(status === 'filled' ? 1 : 0),
    leaderReceivedAt: 0, createdAt: 0,
  };
}

describe('CopyPrinter', () => {
  it('issue 11 #4: late updates of a printed copy print no duplicate copy line', () => {
    const lines: string[] = [];
    const printer = new CopyPrinter((l) => lines.push(l));
    printer.onExecution(exec, false);
    printer.onIntent(intent('planned'));
    printer.onIntent(intent('filled'));
    printer.onIntent(intent('filled'));
    printer.onIntent(intent('filled'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('copy lead SELL 1 AAPL @190 (e1) -> f1 SELL 1 filled');
  });

  it('issue 11 #4: a later attempt for the same leader execution still prints its own line', () => {
    const lines: string[] = [];
    const printer = new CopyPrinter((l) => lines.push(l));
    printer.onExecution(exec, false);
    printer.onIntent(intent('not_placed'));
    printer.onIntent(intent('not_placed'));
    printer.onIntent(intent('filled', 1));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('f1 SELL 1 filled');
  });
});
