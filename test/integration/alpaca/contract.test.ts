// The shared BrokerAdapter contract, run against the real Alpaca adapter and the wire-level Alpaca simulator.
import { Decimal } from '../../../core/domain/decimal.js';
import { describeBrokerAdapterContract } from '../../contract/broker-adapter-contract.js';
import { adapterFor, startSim } from '../../sims/alpaca/harness.js';

describeBrokerAdapterContract('alpaca (wire simulator)', async () => {
  const sim = await startSim({ seed: 3 });
  const keys = sim.addAccount();
  const adapter = adapterFor(sim, keys, 'alpaca-contract');
  return {
    adapter,
    symbol: 'AAPL',
    qty: Decimal.from(3),
    farLimitPrice: async (side) => Decimal.from(side === 'buy' ? '50' : '200'),
    teardown: async () => {
      await adapter.disconnect();
      await sim.stop();
    },
  };
});
