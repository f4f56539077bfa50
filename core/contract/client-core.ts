// The typed contract client, given where each channel's response schema comes from: client.ts binds it to the whole
// INVOKE table; the dashboard binds the first screen's schemas at load and the rest once they are needed.
import { z } from 'zod';
import type { InvokeChannel, RequestOf, ResponseOf } from './channels.js';
import { EVENTS, type EventChannel, type EventOf } from './events.js';
import { resultSchema, fail, type Result } from './result.js';

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

/** A channel's response schema, now or once it is loaded. */
export type ResponseSchemas = (channel: InvokeChannel) => z.ZodType | Promise<z.ZodType>;

const envelope = resultSchema(z.unknown());

/** Checks one raw invoke result against the channel's response schema, as the client does for every reply. */
export function checkResultWith<C extends InvokeChannel>(
  response: z.ZodType,
  channel: C,
  raw: unknown,
  invalid: (what: string) => void = () => undefined,
): Result<ResponseOf<C>> {
  const res = envelope.safeParse(raw);
  if (!res.success) {
    invalid(`malformed result on ${channel}`);
    return fail('internal', `malformed result on ${channel}`);
  }
  if (!res.data.ok) return res.data;
  const value = response.safeParse(res.data.value);
  if (!value.success) {
    invalid(`result on ${channel} does not match the contract`);
    return fail('internal', `result on ${channel} does not match the contract`);
  }
  return { ok: true, value: value.data as ResponseOf<C> };
}

export function createClientWith(
  transport: ContractTransport,
  responses: ResponseSchemas,
  opts: { onInvalid?: (what: string) => void } = {},
): ContractClient {
  const invalid = opts.onInvalid ?? (() => undefined);
  return {
    async invoke(channel, ...args) {
      let raw: unknown;
      try {
        raw = await transport.invoke(channel, args[0]);
      } catch (err) {
        return fail('unavailable', `connection to the app failed: ${err instanceof Error ? err.message : String(err)}`, true);
      }
      let response: z.ZodType;
      try {
        response = await responses(channel);
      } catch (err) {
        // The reply is not trusted unchecked: the call fails, retryable (the schemas load again next time).
        return fail('unavailable', `the dashboard could not load the contract for ${channel}: ${err instanceof Error ? err.message : String(err)}`, true);
      }
      return checkResultWith(response, channel, raw, invalid);
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
