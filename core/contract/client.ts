// Typed contract client for the renderer over any transport (Electron IPC via preload, or the bridge WebSocket).
import { resultSchema, fail, type Result } from './result.js';
import { INVOKE, type InvokeChannel, type RequestOf, type ResponseOf } from './channels.js';
import { EVENTS, type EventChannel, type EventOf } from './events.js';
import { z } from 'zod';

/** What a transport provides: a raw invoke resolving to a Result-shaped value, and raw event subscription. */
export interface ContractTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

type Args<C extends InvokeChannel> = undefined extends RequestOf<C> ? [request?: RequestOf<C>] : [request: RequestOf<C>];

export interface ContractClient {
  invoke<C extends InvokeChannel>(channel: C, ...args: Args<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void;
}

const envelope = resultSchema(z.unknown());

/** Checks one raw invoke result against the contract, as the client does for every reply. */
export function checkResult<C extends InvokeChannel>(channel: C, raw: unknown, invalid: (what: string) => void = () => undefined): Result<ResponseOf<C>> {
  const res = envelope.safeParse(raw);
  if (!res.success) {
    invalid(`malformed result on ${channel}`);
    return fail('internal', `malformed result on ${channel}`);
  }
  if (!res.data.ok) return res.data;
  const value = INVOKE[channel].response.safeParse(res.data.value);
  if (!value.success) {
    invalid(`result on ${channel} does not match the contract`);
    return fail('internal', `result on ${channel} does not match the contract`);
  }
  return { ok: true, value: value.data as ResponseOf<C> };
}

export function createContractClient(transport: ContractTransport, opts: { onInvalid?: (what: string) => void } = {}): ContractClient {
  const invalid = opts.onInvalid ?? (() => undefined);
  return {
    async invoke(channel, ...args) {
      let raw: unknown;
      try {
        raw = await transport.invoke(channel, args[0]);
      } catch (err) {
        return fail('unavailable', `connection to the app failed: ${err instanceof Error ? err.message : String(err)}`, true);
      }
      return checkResult(channel, raw, invalid);
    },
    on(channel, listener) {
      return transport.on(channel, (payload) => {
        const r = EVENTS[channel].safeParse(payload);
        if (r.success) listener(r.data as EventOf<typeof channel>);
        else invalid(`event ${channel} does not match the contract`);
      });
    },
  };
}
