// The shared BrokerAdapter contract suite run against the ProjectX adapter and its wire-level simulator.
import { Decimal } from '../../../core/domain/decimal.js';
import { describeBrokerAdapterContract } from '../../contract/broker-adapter-contract.js';
import { MES, makeAdapter, startSim } from './harness.js';

describeBrokerAdapterContract('projectx', async () => {
  const sim = await startSim({ accounts: [{ id: 40_000_001, bracketMode: 'oco' }] });
  const adapter = makeAdapter(sim, 40_000_001);
  return {
    adapter,
    symbol: 'MES',
    qty: Decimal.from(2),
    instrumentId: MES,
    farLimitPrice: async (side) => Decimal.from(side === 'buy' ? '5000' : '7000'),
    teardown: async () => {
      await adapter.disconnect();
      await sim.close();
    },
  };
}, { brackets: { stopLossTicks: 8, takeProfitTicks: 16 } });
