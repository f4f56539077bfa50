// Account configuration (never secrets): broker, environment, broker account id and endpoint overrides.
import { z } from 'zod';
import { guardSettingsSchema } from './guard-settings.js';
import { accountIdSchema } from './schemas.js';

const urlSchema = z
  .string()
  .url()
  .refine((u) => /^(https?|wss?):\/\//.test(u), 'must be an http(s) or ws(s) URL');

export const endpointsSchema = z
  .object({
    rest: urlSchema.optional(),
    stream: urlSchema.optional(),
    userHub: urlSchema.optional(),
    /** Prices: Alpaca's market data WebSocket (e.g. wss://stream.data.alpaca.markets/v2/iex), ProjectX's market hub. */
    marketData: urlSchema.optional(),
  })
  .strict()
  .default({});

export const accountConfigSchema = z
  .object({
    id: accountIdSchema,
    label: z.string().min(1).max(80),
    broker: z.enum(['sim', 'alpaca', 'projectx']),
    environment: z.enum(['paper', 'live']).default('paper'),
    /** The broker's own account id where one login holds several accounts (ProjectX, sim). */
    brokerAccountId: z.string().min(1).max(64).optional(),
    endpoints: endpointsSchema,
    enabled: z.boolean().default(true),
    /** Risk guards acting on this account on their own (absent: none). */
    guards: guardSettingsSchema.optional(),
  })
  .strict();
export type AccountConfig = z.output<typeof accountConfigSchema>;
export type AccountConfigInput = z.input<typeof accountConfigSchema>;
