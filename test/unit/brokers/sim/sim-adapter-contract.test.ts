// Runs the BrokerAdapter contract suite against the in-process sim (futures and fractionable equity).
import { dec } from '../../../../core/domain/decimal.js';
import { SimAdapter, SimExchange } from '../../../../core/brokers/sim/index.js';
import { SIM_CONTRACT_MONTH } from '../../../../core/brokers/sim/instruments.js';
import { describeBrokerAdapterContract } from '../../../contract/broker-adapter-contract.js';
import { TestClock } from '../../../support/test-clock.js';

function harness(symbol: string, qty: string, offset: string, instrumentId?: string) {
  return async () => {
    const exchange = new SimExchange({ clock: new TestClock(), seed: 7, slippageTicks: 1 });
    exchange.addAccount('SIM-C1', { cash: 50_000 });
    const adapter = new SimAdapter(exchange, 'SIM-C1');
    return {
      adapter,
      symbol,
      ...(instrumentId ? { instrumentId } : {}),
      qty: dec(qty),
      farLimitPrice: async (side: 'buy' | 'sell') =>
        side === 'buy' ? exchange.lastPrice(symbol).sub(offset) : exchange.lastPrice(symbol).add(offset),
      teardown: () => adapter.disconnect(),
    };
  };
}

describeBrokerAdapterContract('sim (MES futures)', harness('MES', '2', '500', `SIM.F.US.MES.${SIM_CONTRACT_MONTH}`));
describeBrokerAdapterContract('sim (AAPL equity)', harness('AAPL', '10', '100'));
