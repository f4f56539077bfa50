// `npm run sim:alpaca`: starts a wire-level Alpaca simulator on 127.0.0.1 and prints its URLs and API keys.
import { AlpacaSim } from '../test/sims/alpaca/server.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};

const sim = await new AlpacaSim({ seed: Number(arg('seed', '1')) }).start(Number(arg('port', '0')));
const accounts = Number(arg('accounts', '2'));
console.log(`Alpaca simulator listening`);
console.log(`  REST   ${sim.restUrl}`);
console.log(`  stream ${sim.streamUrl}`);
for (let i = 0; i < accounts; i++) {
  const k = sim.addAccount();
  console.log(`  account ${i + 1}: APCA_API_KEY_ID=${k.keyId} APCA_API_SECRET_KEY=${k.secretKey}`);
}
console.log('Point an account at it with endpoints {"rest": REST, "stream": stream}. Ctrl-C stops.');
const stop = (): void => {
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
