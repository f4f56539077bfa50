// Imported by the entry before any contract module: zod never probes for eval (the page CSP forbids it, so the probe
// only raised a CSP violation at the first schema; zod's checks run the same without it).
import { z } from 'zod';

z.config({ jitless: true });
