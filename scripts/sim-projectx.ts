// `npm run sim:projectx`: starts the ProjectX simulator on 127.0.0.1 and prints its URLs, credentials and accounts.
// Options: --port N (default random), --token-ttl-ms N, --demo-trades (the leader trades MES every few seconds),
// --logins N (default 1) and --accounts N per login (default 4: the first login's first account is the leader).
import { parseArgs } from 'node:util';
import { startProjectXSim } from '../test/sims/projectx/server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' }, 'token-ttl-ms': { type: 'string' }, 'demo-trades': { type: 'boolean', default: false },
    logins: { type: 'string' }, accounts: { type: 'string' },
  },
});
const intOpt = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return n;
};

const LEADER = 20_258_288;
const loginCount = intOpt('logins', values.logins) ?? 1;
const perLogin = intOpt('accounts', values.accounts) ?? 4;
if (loginCount < 1 || perLogin < 1) {
  process.stderr.write('--logins and --accounts must be at least 1\n');
  process.exit(2);
}
const logins = Array.from({ length: loginCount }, (_, l) => ({
  userName: l === 0 ? 'trader' : `trader${l + 1}`,
  apiKey: l === 0 ? 'sim-api-key' : `sim-api-key-${l + 1}`,
  accounts: Array.from({ length: perLogin }, (_, i) => {
    const first = l === 0 && i === 0;
    const id = first ? LEADER : 20_258_300 + l * 100 + i;
    return { id, name: first ? '50KTC-V2-LEADER' : `50KTC-V2-L${l + 1}-F${i}`, ...(i === perLogin - 1 && !first ? { bracketMode: 'oco' as const } : {}) };
  }),
}));
const port = intOpt('port', values.port);
const ttl = intOpt('token-ttl-ms', values['token-ttl-ms']);
const sim = await startProjectXSim({
  logins,
  ...(port !== undefined ? { port } : {}),
  ...(ttl !== undefined ? { tokenTtlMs: ttl } : {}),
});
process.stdout.write(
  [
    'ProjectX simulator running',
    `  REST      ${sim.restUrl}   (endpoints.rest)`,
    `  user hub  ${sim.hubUrl}   (endpoints.userHub)`,
    ...logins.map((l) => `  login     {"userName":"${l.userName}","apiKey":"${l.apiKey}"}: ${l.accounts.map((a) => `${a.id} ${a.name}`).join(', ')}`),
    '  contracts MES -> CON.F.US.MES.Z26, ES -> CON.F.US.EP.Z26, MNQ -> CON.F.US.MNQ.Z26',
    'Ctrl+C to stop',
  ].join('\n') + '\n',
);
if (values['demo-trades']) {
  let long = false;
  setInterval(() => {
    long = !long;
    sim.trade(LEADER, 'CON.F.US.MES.Z26', long ? 'buy' : 'sell', 2);
  }, 5_000);
}
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
