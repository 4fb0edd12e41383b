import { join } from 'node:path';
import type { StationCore } from '../station';
import type { Actor } from '../services/audit';
import { localIso } from '../services/cases/clock';
import { readSettings } from '../services/settings';
import { postOneOffPayments } from './ledger';
import { ReportRunner } from './runner';

export { ReportRunner, JobCancelled, type Progress } from './runner';
export * from './ledger';

const runners = new WeakMap<StationCore, ReportRunner>();

/** The core's report runner, started on first use and stopped when the core closes. */
export function runnerFor(core: StationCore): ReportRunner {
  let runner = runners.get(core);
  if (!runner) {
    runner = new ReportRunner({
      dbFile: join(core.dataDir, 'station.db'),
      keyHex: core.keys.getKey().toString('hex'),
      nativeBinding: core.nativeBinding,
    });
    runners.set(core, runner);
    const r = runner;
    core.onClose(() => r.close());
  }
  return runner;
}

/** Brings the ledger up to date (one-off payments from new case events) before a report reads it. */
export function prepareLedger(core: StationCore, actor: Actor): void {
  postOneOffPayments(core.db, actor);
}

export const stationToday = (): string => localIso(new Date()).slice(0, 10);

export function placeName(core: StationCore): string {
  return readSettings(core.db)?.townshipName ?? '本乡镇';
}
