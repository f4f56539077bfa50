// Command-line parsing for the headless CLI: subcommands, flags, defaults and usage text.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `mirrordesk headless

  npm run headless -- start [--data-dir DIR]             what \`npm start\` runs headless: the stored workspace, or the
                                                         demo when nothing is stored yet, with the dashboard bridge
  npm run headless -- --demo [--data-dir DIR]            simulated demo workspace (leader + demo bot + 3 followers);
                                                         a workspace already stored in DIR is resumed instead
  npm run headless -- run --config FILE --data-dir DIR   run a configured workspace (JSON; see README)
  npm run headless -- run --data-dir DIR                 resume the workspace stored in DIR
  npm run headless -- status --json --data-dir DIR       print the journal's view and exit

options
  --data-dir DIR        where the journal (SQLite), workspace and log live
  --config FILE         workspace config (replaces the stored one)
  --secrets KIND        keyring | file | env (default: keyring when available, else env)
  --passphrase-file F   file holding the passphrase of the encrypted credentials file (--secrets file)
  --bridge              also serve the dashboard and the contract over HTTP/WebSocket on 127.0.0.1
  --port N              bridge port (default: random)
  --host ADDR           bridge address other than 127.0.0.1 (prints a warning)
  --seed N              seed of the simulated venue and the demo bot
  --json                machine-readable output (status)
  -h, --help            this text`;

export type Command = 'start' | 'demo' | 'run' | 'status' | 'help';

export interface CliArgs {
  readonly command: Command;
  readonly dataDir: string;
  readonly config?: string;
  readonly secrets?: string;
  readonly passphraseFile?: string;
  readonly bridge: boolean;
  readonly port?: number;
  readonly host?: string;
  readonly seed?: number;
  readonly json: boolean;
}

export class UsageError extends Error {}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MIRRORDESK_DATA_DIR) return env.MIRRORDESK_DATA_DIR;
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'mirrordesk');
}

function intFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        demo: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        secrets: { type: 'string' },
        'passphrase-file': { type: 'string' },
        bridge: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const sub = positionals[0];
  if (sub !== undefined && !['start', 'run', 'status', 'demo'].includes(sub)) throw new UsageError(`unknown command "${sub}"`);
  const command: Command = v.help ? 'help' : v.demo || sub === 'demo' ? 'demo' : ((sub as Command | undefined) ?? 'help');
  if (command === 'status' && v.config) throw new UsageError('status reads the journal; it takes --data-dir, not --config');
  const dataDir = v['data-dir'] ?? (command === 'demo' ? join(defaultDataDir(env), 'demo') : defaultDataDir(env));
  return {
    command,
    dataDir,
    json: v.json ?? false,
    bridge: command === 'start' || (v.bridge ?? false),
    ...(v.config !== undefined ? { config: v.config } : {}),
    ...(v.secrets !== undefined ? { secrets: v.secrets } : {}),
    ...(v['passphrase-file'] !== undefined ? { passphraseFile: v['passphrase-file'] } : {}),
    ...(v.host !== undefined ? { host: v.host } : {}),
    ...(intFlag('port', v.port) !== undefined ? { port: intFlag('port', v.port)! } : {}),
    ...(intFlag('seed', v.seed) !== undefined ? { seed: intFlag('seed', v.seed)! } : {}),
  };
}
