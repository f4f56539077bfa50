// Headless CLI entry: runs the demo or a configured workspace, or prints the journal's status; stops cleanly on signals.
import { attachActivityLog } from '../app/activity-log.js';
import { AppHost } from '../app/app-host.js';
import { ConfigError, loadConfigFile } from '../app/config-file.js';
import { createLogger, type Logger } from '../app/logger.js';
import { guardProcess } from '../app/process-guard.js';
import { errorMessage } from '../domain/errors.js';
import { join } from 'node:path';
import { chooseSecretStore, describeStorage, ProtectableSecretStore, SECRETS_FILE_NAME } from '../secrets/index.js';
import { parseCli, UsageError, USAGE, type CliArgs } from './args.js';
import { CopyPrinter } from './copy-printer.js';
import { serveDashboard } from './bridge-run.js';
import type { Bridge } from './bridge-server.js';
import { printStatus } from './status.js';

async function run(args: CliArgs): Promise<void> {
  const log = createLogger();
  const config = args.config ? loadConfigFile(args.config) : undefined;
  const secrets = await chooseSecretStore({
    platform: process.platform,
    dataDir: args.dataDir,
    env: process.env,
    ...(args.secrets ? { kind: args.secrets } : {}),
    ...(args.passphraseFile ? { passphraseFile: args.passphraseFile } : {}),
  });
  log.info(`credentials: ${secrets.description}`);
  // Credentials entered while no keyring answers can be moved into a passphrase file at runtime (credentials:protect).
  const store = new ProtectableSecretStore(secrets.store, join(args.dataDir, SECRETS_FILE_NAME));
  const storage = describeStorage(store);
  if (!storage.persistent) log.warn(`credentials: ${storage.where}`);
  const hostLog = createLogger({ file: `${args.dataDir}/mirrordesk.log` });
  const host = await AppHost.open({
    dataDir: args.dataDir,
    secrets: store,
    log: hostLog,
    ...(config ? { config } : {}),
    // The demo only where nothing is stored yet: a stored workspace (the demo as the user changed it, or their own) resumes.
    ...(args.command === 'demo' || args.command === 'start' ? { demo: true } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  });
  const detachActivity = attachActivityLog(host, hostLog);
  const closeHost = () => host.close().finally(detachActivity);
  guardProcess(process, { log: hostLog, alert: (m) => host.reportInternalError(m), close: closeHost, exit: (c) => process.exit(c) });
  const printer = new CopyPrinter((line) => process.stdout.write(`${line}\n`));
  host.on('execution', (e) => printer.onExecution(e.execution, e.duplicate));
  host.on('intent', (i) => printer.onIntent(i));
  host.on('alert', (a) => log.log(a.severity === 'info' ? 'info' : 'warn', `alert ${a.code}: ${a.message}`));

  // The engine's timers do not hold the process open (SystemClock unrefs them); this handle does, until a signal.
  const keepAlive = setInterval(() => undefined, 3_600_000);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    log.info(`${signal}: stopping (no new copies; flushing the journal)`);
    warnLostCredentials(store, log)
      .then(() => bridge?.close())
      .then(closeHost)
      .then(() => process.exit(0))
      .catch((err) => {
        log.error(`stop failed: ${errorMessage(err)}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  if (process.env.MIRRORDESK_STOP_WITH_PARENT) stopWithParent(() => shutdown('launcher exited'));

  await host.start();
  let bridge: Bridge | undefined;
  if (args.bridge) {
    if (args.host) log.warn(`the dashboard bridge listens on ${args.host}: anyone who can reach it and has the token can trade`);
    bridge = await serveDashboard(host, {
      ...(args.port !== undefined ? { port: args.port } : {}),
      ...(args.host !== undefined ? { bindAddress: args.host, allowRemote: true } : {}),
    });
    process.stdout.write(`Mirrordesk dashboard: ${bridge.url}\n(the token in this URL is the password of this run)\n`);
  }
  const snap = host.snapshot();
  log.info(
    `data dir ${args.dataDir}; trading ${snap.trading.global}; ` +
      `${snap.accounts.length} accounts, ${snap.links.length} links; Ctrl+C to stop`,
  );
}

/** Says which credentials a stop loses (memory-held ones), so nobody learns it at the next start. */
async function warnLostCredentials(store: ProtectableSecretStore, log: Logger): Promise<void> {
  if (describeStorage(store).persistent) return;
  const ids = await store.list();
  if (ids.length > 0) log.warn(`credentials of ${ids.join(', ')} were kept in memory only and are lost with this stop`);
}

/** Under `npm start` the launcher is our parent: when it is gone (even SIGKILLed) we are re-parented, and stop. */
function stopWithParent(stop: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, 250);
  timer.unref();
}

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'status':
      return printStatus(args.dataDir, args.json);
    case 'start':
    case 'demo':
    case 'run':
      await run(args);
      return -1;
  }
}

main()
  .then((code) => {
    if (code >= 0) process.exit(code);
  })
  .catch((err) => {
    process.stderr.write(`mirrordesk: ${err instanceof ConfigError ? err.message : errorMessage(err)}\n`);
    process.exit(1);
  });
