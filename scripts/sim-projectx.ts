// `npm run sim:projectx`: starts the ProjectX simulator on 127.0.0.1 and prints its URLs, credentials and accounts.
// Options: --port N (default random), --token-ttl-ms N, --demo-trades (the leader trades MES every few seconds).
import { parseArgs } from 'node:util';
import { startProjectXSim } from '../test/sims/projectx/server.js';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'token-ttl-ms': { type: 'string' }, 'demo-trades': { type: 'boolean', default: false } },
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
const accounts = [
  { id: LEADER, name: '50KTC-V2-LEADER' },
  { id: 20_258_301, name: '50KTC-V2-F1' },
  { id: 20_258_302, name: '50KTC-V2-F2' },
  { id: 20_258_303, name: '150KTC-V2-F3', bracketMode: 'oco' as const },
];
const port = intOpt('port', values.port);
const ttl = intOpt('token-ttl-ms', values['token-ttl-ms']);
const sim = await startProjectXSim({
  users: { trader: 'sim-api-key' },
  accounts,
  ...(port !== undefined ? { port } : {}),
  ...(ttl !== undefined ? { tokenTtlMs: ttl } : {}),
});
process.stdout.write(
  [
    'ProjectX simulator running',
    `  REST      ${sim.restUrl}   (endpoints.rest)`,
    `  user hub  ${sim.hubUrl}   (endpoints.userHub)`,
    '  login     {"userName":"trader","apiKey":"sim-api-key"}',
    `  accounts  ${accounts.map((a) => `${a.id} ${a.name}`).join(', ')}`,
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
