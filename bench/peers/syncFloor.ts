/**
 * bench peer-sync floor — how fast the sync comparison could possibly be on this machine, whatever the sync code:
 *
 *   county database  the same N case records (bench/peers/lib/caseRecords.ts) written straight into the county's
 *                    PostgreSQL 15 (fsync on, as in the comparison) with the very statement the county's push uses
 *                    (caseUpsert of the records' data as sent, 1,000 rows per statement, each its own transaction),
 *                    from one connection and from two at once (the station keeps two pushes in flight, SP-28). No
 *                    HTTP, no station, no validation.
 *   station store    reading the N queued mutations from the station's encrypted store (what any push must read),
 *                    and compressing them with gzip as the engine does (level 6) and at level 1.
 *
 *   county           inflating what arrives and checking every record on its bytes, as our push does for saves
 *                    (server/services/saveArgsScan.ts; PouchDB's server checks nothing); and, reported apart, the
 *                    push's path for what that check cannot vouch for: parsing every record (JSON.parse) and
 *                    validating it against the shared schema.
 *
 * None of this work can be skipped by any sync of these records; on this machine two cores share all of it. The sum
 * of that CPU ÷ cores is a lower bound on the sync's wall time: compare with peer-sync's PouchDB time ÷ 5 (the
 * issue's goal). Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { framedBody } from '../../main/core/sync/transport';
import { decodePushFrames } from '../../server/http/pushFrames';
import { scanSaveArgs } from '../../server/services/saveArgsScan';
import { parseMutation } from '../../shared/sync/mutations';
import { openCountyDb } from '../../server/db/open';
import { JsonbElements } from '../../server/db/jsonbElements';
import { caseUpsert } from '../../server/services/recordWrites';
import { createStation } from '../../server/services/stations';
import { openTestCore } from '../../tests/support/stationCore';
import { postgresSkipReason, startPostgres } from '../../tests/support/postgres';
import { postmasterPid, treeCpuSeconds } from '../lib/cpu';
import { emitResult, hasFlag, printTable } from '../lib/report';
import { caseRecord, caseTemplate } from './lib/caseRecords';

const quick = hasFlag('--quick');
const N = Number(process.argv[process.argv.indexOf('--records') + 1]) || (quick ? 10_000 : 100_000);
const BATCH = 1000;
const round2 = (n: number) => Math.round(n * 100) / 100;

const skip = postgresSkipReason();
if (skip) {
  console.log(`bench peer-sync floor skipped: ${skip}`);
  emitResult('sync-floor', { quick, skipped: skip });
  process.exit(0);
}

console.log(`bench peer-sync floor — ${N.toLocaleString()} case records …`);
const template = caseTemplate();
const batches: string[][] = [];
for (let i = 0; i < N; i += BATCH) {
  batches.push(Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => caseRecord(template, i + j).json));
}
const jsonBytes = batches.reduce((s, b) => s + b.reduce((t, j) => t + j.length, 0), 0);

async function databaseFloor(connections: 1 | 2): Promise<{ seconds: number; postgresCpu: number }> {
  const pg = await startPostgres({ database: 'sync_floor' });
  const db = await openCountyDb({ databaseUrl: pg.url });
  try {
    const { station } = await createStation(db, { code: `FLOOR${connections}`, township: '城关镇' });
    const pm = postmasterPid(join(pg.dataDir, 'data'));
    const cpu = () => (pm ? treeCpuSeconds(pm) : { user: 0, sys: 0 });
    // As the one-statement push writes them (SP-29): ids, and each record's data as the station sent it.
    const statements = batches.map((b) => {
      const ids = b.map((json) => (JSON.parse(json) as { id: string }).id);
      return { ...caseUpsert({ ids, data: new JsonbElements(b.map((json) => Buffer.from(json))) }, station.id, { undecidedOnly: true }), rows: b.length };
    });
    const before = cpu();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < statements.length) {
          const s = statements[next++]!;
          const res = await db.query(s.sql, s.params);
          if (res.rows.length !== s.rows) throw new Error('rows not written');
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const after = cpu();
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    if (Number(rows[0]!.n) !== N) throw new Error(`${rows[0]!.n} cases stored, expected ${N}`);
    return { seconds: round2(seconds), postgresCpu: round2(after.user + after.sys - before.user - before.sys) };
  } finally {
    await db.close();
    await pg.stop();
  }
}

async function stationFloor(): Promise<{
  readSeconds: number;
  gzip6Seconds: number;
  gzip1Seconds: number;
  countyInflateCheckSeconds: number;
  countyInflateParseSeconds: number;
  countyValidateSeconds: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-floor-'));
  const core = openTestCore(dir, randomBytes(32).toString('hex'));
  try {
    const insert = core.db.prepare('INSERT INTO outbox (id, name, args, created_at) VALUES (?, ?, ?, ?)');
    const now = new Date().toISOString();
    core.db.transaction(() => {
      let id = 1_000_000;
      for (const b of batches)
        for (const json of b) {
          const { id: caseId } = JSON.parse(json) as { id: string };
          insert.run(id++, 'case.save', `{"id":"${caseId}","data":${json},"baseCountyVersion":0}`, now);
        }
    })();
    // As the engine reads them: pages of 1,000 rows in id order, args as their stored UTF-8 bytes, then one framed
    // body per page (SP-20).
    const page = core.db.prepare('SELECT id, name, CAST(args AS BLOB) AS args FROM outbox WHERE id > ? ORDER BY id LIMIT 1000');
    const t0 = performance.now();
    const bodies: Buffer[] = [];
    for (let after = 0; ; ) {
      const rows = page.all(after) as { id: number; name: string; args: Buffer }[];
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      bodies.push(framedBody({ protocolVersion: 1, clientId: 'sync-floor', pendingCount: 0 }, rows));
    }
    const readSeconds = (performance.now() - t0) / 1000;
    const time = (level: number) => {
      const t = performance.now();
      const out = bodies.map((body) => gzipSync(body, { level }));
      return { seconds: round2((performance.now() - t) / 1000), out };
    };
    const gz6 = time(6);
    const gz1 = time(1);
    // What our county does with what arrives: inflate it, split the frames and check every save on its bytes.
    const t1 = performance.now();
    for (const body of gz1.out) {
      for (const raw of decodePushFrames(gunzipSync(body)).rawArgs) if (scanSaveArgs('case.save', raw) === null) throw new Error('a record is not vouched for');
    }
    const countyInflateCheckSeconds = round2((performance.now() - t1) / 1000);
    // The push's path for what that check cannot vouch for: parse every record, then check it against the schema (SP-13).
    const t2 = performance.now();
    const parsed = gz1.out.map((body) => {
      const { mutations, rawArgs } = decodePushFrames(gunzipSync(body));
      return mutations.map((m, i) => ({ id: m.id as number, name: m.name as string, args: JSON.parse(rawArgs[i]!.toString('utf8')) as unknown }));
    });
    const countyInflateParseSeconds = round2((performance.now() - t2) / 1000);
    const t3 = performance.now();
    for (const body of parsed) for (const m of body) if (!parseMutation(m.id, m.name, m.args).ok) throw new Error('a record does not validate');
    const countyValidateSeconds = round2((performance.now() - t3) / 1000);
    return {
      readSeconds: round2(readSeconds),
      gzip6Seconds: gz6.seconds,
      gzip1Seconds: gz1.seconds,
      countyInflateCheckSeconds,
      countyInflateParseSeconds,
      countyValidateSeconds,
    };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const one = await databaseFloor(1);
const two = await databaseFloor(2);
const station = await stationFloor();
printTable(
  ['floor', 'seconds', 'PostgreSQL CPU s'],
  [
    ['county database, 1 connection', one.seconds, one.postgresCpu],
    ['county database, 2 connections', two.seconds, two.postgresCpu],
    ['station: read the queued mutations from the encrypted store', station.readSeconds, '—'],
    ['station: gzip them, level 6 (the engine)', station.gzip6Seconds, '—'],
    ['station: gzip them, level 1', station.gzip1Seconds, '—'],
    ['county: inflate, split the frames, check every save on its bytes (as the push does)', station.countyInflateCheckSeconds, '—'],
    ['county: inflate, split the frames, parse every record (JSON.parse)', station.countyInflateParseSeconds, '—'],
    ['county: validate every parsed record (shared schema)', station.countyValidateSeconds, '—'],
  ],
);
// Everything counted is CPU work that no sync of these records can skip; two cores share it.
const common = Math.min(one.postgresCpu, two.postgresCpu) + station.readSeconds + station.gzip1Seconds;
const cpuFloor = common + station.countyInflateCheckSeconds;
// Were every record parsed and checked against the schema (the push's path for what the byte check cannot vouch for).
const schemaFloor = common + station.countyInflateParseSeconds + station.countyValidateSeconds;
console.log(
  `CPU no sync can skip: PostgreSQL ${Math.min(one.postgresCpu, two.postgresCpu)} + station read ${station.readSeconds} + gzip (level 1) ` +
    `${station.gzip1Seconds} + county inflate/check ${station.countyInflateCheckSeconds} = ${round2(cpuFloor)} s → at least ` +
    `${round2(cpuFloor / availableParallelism())} s on ${availableParallelism()} cores`,
);
console.log(
  `with every record parsed and checked by the schema instead: ${round2(schemaFloor)} s → at least ${round2(schemaFloor / availableParallelism())} s`,
);
console.log(`${(jsonBytes / 1e6).toFixed(0)} MB of case JSON`);
emitResult('sync-floor', {
  quick,
  records: N,
  jsonBytes,
  databaseSeconds: Math.min(one.seconds, two.seconds),
  cpuFloorSeconds: round2(cpuFloor),
  wallFloorSeconds: round2(cpuFloor / availableParallelism()),
  schemaCpuFloorSeconds: round2(schemaFloor),
  schemaWallFloorSeconds: round2(schemaFloor / availableParallelism()),
  cores: availableParallelism(),
  database: { oneConnection: one, twoConnections: two },
  station,
});
