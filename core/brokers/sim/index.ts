// The simulated broker's public API: venue, adapter, instruments and the demo trading bot.
export { SimAdapter, SIM_RATE_LIMIT, type SimAdapterOptions } from './adapter.js';
export { DemoTrader, MAX_DEMO_BURST, type DemoAction, type DemoActionKind, type DemoTraderOptions } from './demo-trader.js';
export { SimExchange, type SimExchangeOptions } from './exchange.js';
export type { SimEvent, SimListener } from './feed.js';
export { DEFAULT_SIM_INSTRUMENTS, SIM_CONTRACT_MONTH, type SimInstrumentSpec } from './instruments.js';
