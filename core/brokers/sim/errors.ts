// Sim-specific BrokerErrors: the messages and codes the simulated venue answers with.
import { BrokerError } from '../../domain/errors.js';

export const simErrors = {
  unknownAccount: (account: string) => new BrokerError('auth', `sim: no account ${account} at the simulated venue`),
  disconnected: (account: string) => new BrokerError('network', `sim: connection for ${account} is down`),
  unknownSymbol: (symbol: string) => new BrokerError('invalid', `sim: unknown symbol ${JSON.stringify(symbol)}`),
  noInstrument: (symbol: string) => new BrokerError('not_found', `sim: no instrument ${JSON.stringify(symbol)}`),
  invalid: (message: string) => new BrokerError('invalid', `sim: ${message}`),
  duplicate: (clientOrderId: string) =>
    new BrokerError('duplicate_client_id', `sim: client order id ${clientOrderId} was already used on this account`),
  rejected: (reason: string) => new BrokerError('rejected', `sim: order rejected: ${reason}`),
  timeout: (placed: boolean) =>
    new BrokerError('timeout', `sim: injected timeout (the order was ${placed ? '' : 'not '}placed)`),
  washTrade: (existing: string) =>
    new BrokerError('rejected', `sim: potential wash trade detected. use complex orders (existing order ${existing})`),
  orderNotFound: (id: string) => new BrokerError('not_found', `sim: no order ${id}`),
  notCancelable: (id: string, status: string) => new BrokerError('rejected', `sim: order ${id} is ${status}, not cancelable`),
};
