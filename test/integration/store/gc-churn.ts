// Child process for the native-object lifetime test: opens, uses and closes many journals while churning the
// heap, so V8 collects garbage outside JS contexts; it must exit 0 and print "done".
import { dec } from '../../../core/domain/decimal.js';
import { intentId } from '../../../core/domain/ids.js';
import { openJournal } from '../../../core/store/index.js';
import { execution, intent, tempDir } from '../../unit/store/fixtures.js';

const tmp = tempDir();
let junk: object[] = [];
for (let round = 0; round < 20; round++) {
  const journal = openJournal(tmp.path(`j${round}.sqlite`));
  journal.recordExecution(execution(`e${round}`), 1, [intent(`i${round}`, { sourceId: `e${round}` })]);
  journal.updateIntent(intentId(`i${round}`), { status: 'filled', filledQty: dec(5), avgFillPrice: dec(1), raw: { n: round } });
  journal.raiseAlert({ severity: 'info', code: 'drift', message: 'm' }, round);
  journal.audit({ actor: 'a', action: 'b' }, round);
  journal.queries.listCopies({ symbol: 'AAPL', status: ['filled', 'planned'] }, { limit: 3 });
  journal.queries.getCopy(intentId(`i${round}`));
  journal.queries.counts({ dayStart: 0 });
  journal.queries.exportCopiesCsv();
  journal.queries.listAlerts({ unacknowledgedOnly: true });
  journal.queries.listAudit();
  journal.openIntents();
  journal.close();
  for (let k = 0; k < 100_000; k++) junk.push({ k, s: `x${k}` });
  junk = [];
}
tmp.cleanup();
setTimeout(() => process.stdout.write('done\n'), 50);
