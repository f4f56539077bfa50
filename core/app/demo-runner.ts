// DemoRunner: the demo workspace's trading bot on the demo leader, and its trade burst (a demo tool for the breaker).
import { errorMessage, ValidationError } from '../domain/errors.js';
import type { BrokerAdapter } from '../ports/broker-adapter.js';
import type { Clock } from '../ports/clock.js';
import { DemoTrader, MAX_DEMO_BURST } from '../brokers/sim/index.js';
import type { Logger } from './logger.js';

export class DemoRunner {
  private bot: DemoTrader | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly seed: number,
  ) {}

  /** Starts (or restarts, after the leader reconnected) the bot on the leader's current adapter. */
  start(leader: BrokerAdapter | undefined): void {
    this.stop();
    if (!leader) return;
    this.bot = new DemoTrader({
      adapter: leader,
      clock: this.clock,
      seed: this.seed,
      onError: (err) => this.log.warn(`demo bot: ${errorMessage(err)}`),
    });
    this.bot.start();
  }

  stop(): void {
    this.bot?.stop();
    this.bot = undefined;
  }

  /** The bot sends `trades` leader orders back to back. */
  async burst(trades: number): Promise<{ sent: number }> {
    if (!Number.isInteger(trades) || trades < 1 || trades > MAX_DEMO_BURST) {
      throw new ValidationError('trades', `expected a whole number of trades from 1 to ${MAX_DEMO_BURST}`);
    }
    if (!this.bot) throw new ValidationError('workspace', 'the demo is not running (its leader is not connected)');
    return { sent: (await this.bot.burst(trades)).length };
  }
}
