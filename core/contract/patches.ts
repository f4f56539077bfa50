// Partial-update payloads: only the keys present are validated (each by its own field schema) and passed on raw.
import { z } from 'zod';
import { accountConfigSchema } from '../domain/account-config.js';
import { linkSettingsSchema } from '../domain/link-settings.js';

/** A record whose keys are a subset of `fields`, each value valid for its field; the output is the input as sent. */
function patchOf(fields: Record<string, z.ZodType>) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((patch, ctx) => {
      const keys = Object.keys(patch);
      if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'patch is empty' });
      for (const key of keys) {
        const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
        if (!field) {
          ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" cannot be changed here` });
          continue;
        }
        const r = field.safeParse(patch[key]);
        if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: [key, ...i.path], message: i.message });
      }
    });
}

const { id: _accountId, broker: _broker, ...accountFields } = accountConfigSchema.shape;
export const accountPatchSchema = patchOf(accountFields);

export const linkPatchSchema = patchOf({ ...linkSettingsSchema.shape, enabled: z.boolean() });
