/**
 * A station core as a separate OS process, for the fault harness (tests/faults) and the sync benchmark: it opens a
 * real encrypted store, makes intakes through the same dispatch as the UI, and runs the sync engine — so a test can
 * kill -9 it at any point and start it again on the same data. Bundled to dist/main/sync-worker.mjs.
 *
 * Protocol: one JSON command per stdin line → one JSON answer per stdout line ({ ok, value } or { ok:false, error }).
 * Environment: STATION_DATA_DIR, STATION_DB_KEY (64 hex), STATION_SYNC_TIMEOUT_MS.
 */
import { createInterface } from 'node:readline';
import pino from 'pino';
import { makeIdNumber } from '../../../shared/domain/idNumber';
import { dispatch } from '../api/dispatch';
import { newSession, type Session } from '../api/context';
import { envOrFileKeyProvider } from '../db/key';
import { openStationCore, type StationCore } from '../station';
import { enqueueMutation } from '../services/outbox';
import { write } from '../services/unitOfWork';
import { SYSTEM_ACTOR } from '../services/audit';
import { syncEngineFor } from './engine';
import { enrolStation, listIssues, resolveIssue } from './service';
import { readSyncState, lastAllocatedId } from './state';

type Cmd = { op: string; [k: string]: unknown };

const dataDir = process.env.STATION_DATA_DIR;
if (!dataDir) {
  process.stderr.write('STATION_DATA_DIR is required\n');
  process.exit(2);
}

function openCore(): StationCore {
  return openStationCore({ dataDir: dataDir!, keys: envOrFileKeyProvider(dataDir!), host: 'browser', log: pino({ level: process.env.STATION_LOG_LEVEL ?? 'silent' }) });
}

async function must<T>(p: Promise<unknown>): Promise<T> {
  const r = (await p) as { ok: boolean; value?: T; code?: string; message?: string };
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value as T;
}

async function sessions(core: StationCore): Promise<{ clerk: Session; reviewer: Session }> {
  const staff = () => core.db.prepare('SELECT id, role FROM staff').all() as { id: string; role: string }[];
  if (staff().length === 0) {
    const setup = newSession();
    await must(dispatch(core, setup, 'settings.save', { townshipName: '城关镇', stationCode: '430102001' }));
    await must(dispatch(core, setup, 'auth.setupAdmin', { username: 'admin', displayName: '管理员', password: 'admin-pass-1' }));
    await must(dispatch(core, setup, 'staff.create', { username: 'reviewer', displayName: '李审核', password: 'review-pass-1', role: 'reviewer' }));
  }
  // Staff exist from the first start; a restarted process signs them in again without a password round (test tool).
  const rows = staff();
  const reviewer = newSession();
  reviewer.staffId = rows.find((r) => r.role === 'reviewer')!.id;
  const clerk = newSession();
  clerk.staffId = rows.find((r) => r.role === 'admin')!.id;
  return { clerk, reviewer };
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function facts(core: StationCore) {
  const db = core.db;
  const outbox = db.prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM outbox').get() as { lo: number | null; hi: number | null; n: number };
  const map = (sql: string) => Object.fromEntries((db.prepare(sql).all() as { id: string; v: unknown }[]).map((r) => [r.id, r.v]));
  return {
    lastAllocated: lastAllocatedId(db),
    confirmed: readSyncState(db).confirmedMutationId,
    outbox,
    outcomes: db.prepare('SELECT mutation_id AS id, status, code, resolution, args IS NOT NULL AS hasArgs FROM sync_outcomes ORDER BY mutation_id').all(),
    persons: map('SELECT id, version AS v FROM persons'),
    cases: map(`SELECT id, json_object('version', version, 'state', state, 'countyVersion', county_version) AS v FROM cases`),
    events: (db.prepare('SELECT id FROM case_events').all() as { id: string }[]).map((r) => r.id),
    countyRows: map(`SELECT key AS id, data AS v FROM county_rows WHERE tbl = 'case_county'`),
    uploadsPending: (db.prepare('SELECT count(*) AS n FROM attachment_uploads WHERE uploaded_at IS NULL').get() as { n: number }).n,
  };
}

async function main(): Promise<void> {
  const core = openCore();
  const integrity = (core.db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  const engine = syncEngineFor(core, { timeoutMs: Number(process.env.STATION_SYNC_TIMEOUT_MS ?? 5000), baseBackoffMs: 50, maxBackoffMs: 500 });
  const { clerk, reviewer } = await sessions(core);
  const reply = (msg: unknown) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  reply({ event: 'ready', pid: process.pid, integrity });

  const handle = async (cmd: Cmd): Promise<unknown> => {
    switch (cmd.op) {
      case 'enrol':
        return enrolStation(core, { countyUrl: String(cmd.url), code: String(cmd.code) }, SYSTEM_ACTOR);
      case 'setUrl':
        core.db.prepare('UPDATE sync_enrolment SET county_url = ?').run(String(cmd.url));
        return null;
      case 'intake': {
        const ids: string[] = [];
        for (let i = 0; i < Number(cmd.n ?? 1); i++) {
          // Unique ID numbers from the number of persons already stored: survives restarts on the same data.
          const n = (core.db.prepare('SELECT count(*) AS n FROM persons').get() as { n: number }).n;
          const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 999) * 86_400_000).toISOString().slice(0, 10);
          const person = await must<{ id: string }>(
            dispatch(core, clerk, 'people.savePerson', {
              idNumber: makeIdNumber('430102', birth, n % 999),
              name: '测试人员',
              hukou: 'rural',
              workAbility: 'full',
              health: 'healthy',
            }),
          );
          const c = await must<{ id: string }>(dispatch(core, clerk, 'cases.create', { applicantId: person.id, itemCode: 'medicalAssistance'}));
          ids.push(c.id);
        }
        return ids;
      }
      case 'act': {
        const pick = rng(Number(cmd.seed ?? 1));
        const open = core.db.prepare(`SELECT id FROM cases WHERE state = 'submitted' ORDER BY id`).all() as { id: string }[];
        const done: string[] = [];
        for (let i = 0; i < Number(cmd.n ?? 1) && open.length > 0; i++) {
          const [c] = open.splice(Math.floor(pick() * open.length), 1);
          const d = await must<{ materials: { key: string }[] }>(dispatch(core, clerk, 'cases.get', { id: c!.id }));
          await must(dispatch(core, clerk, 'cases.act', { caseId: c!.id, action: 'accept', payload: { materialsReceived: d.materials.map((m) => m.key) } }));
          done.push(c!.id);
        }
        return done;
      }
      case 'poison':
        // A mutation the county must refuse (data.id ≠ id), queued like any other: it must not block the queue.
        return write(core.db, SYSTEM_ACTOR, (tx) =>
          enqueueMutation(tx.db, 'person.save', { id: '01900000-0000-7000-8000-0000000000aa', data: { id: '01900000-0000-7000-8000-0000000000bb' } }, tx.now),
        );
      case 'sync':
        return engine.syncNow();
      case 'resolveAll': {
        const { issues } = listIssues(core, false);
        for (const i of issues) {
          resolveIssue(
            core,
            { mutationId: i.mutationId, action: i.status === 'conflict' ? 'resubmit' : 'discard', reason: i.status === 'conflict' ? '按县级最新版本重新提交' : '测试数据，作废' },
            { id: reviewer.staffId, name: '李审核' },
          );
        }
        return issues.length;
      }
      case 'facts':
        return facts(core);
      case 'integrity':
        return core.db.pragma('integrity_check', { simple: true });
      case 'exit':
        await core.close();
        process.exit(0);
        return null;
      default:
        throw new Error(`unknown op ${cmd.op}`);
    }
  };

  const lines = createInterface({ input: process.stdin });
  let chain = Promise.resolve();
  lines.on('line', (line) => {
    chain = chain.then(async () => {
      let cmd: Cmd;
      try {
        cmd = JSON.parse(line) as Cmd;
      } catch {
        reply({ ok: false, error: 'bad json' });
        return;
      }
      try {
        reply({ ok: true, id: cmd.id ?? null, value: (await handle(cmd)) ?? null });
      } catch (err) {
        reply({ ok: false, id: cmd.id ?? null, error: (err as Error).message });
      }
    });
  });
  lines.on('close', () => void core.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ event: 'failed', error: (err as Error).message })}\n`);
  process.exit(1);
});
