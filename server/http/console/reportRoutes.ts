import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CountyDb } from '../../db/types';
import type { Actor } from '../../services/console/audit';
import { appendAudit } from '../../services/console/audit';
import {
  countyDrill,
  countyDrillQuery,
  countyExport,
  countyExportQuery,
  countyReport,
  countyReportQuery,
  countySummary,
  placeLabel,
  reportOptions,
  stationName,
  type CountyReportQuery,
  type Timing,
} from '../../services/reports';
import { parseOr } from '../parse';
import { sessionOf } from './guard';

/**
 * 统计报表 (issue 6, county side). Reads only: every signed-in county officer may see the figures; lists and exports
 * show masked ID numbers, and every list view and export is in the county audit log (what, filter, row count — no
 * personal data). The onRequest hook of consoleRoutes has already refused requests without a session.
 */

function actorOf(request: FastifyRequest): Actor {
  const s = sessionOf(request);
  return { staffId: s.staff.id, username: s.staff.username, ip: request.ip };
}

/** The request's filter as the audit log keeps it. */
const spec = (q: CountyReportQuery) => ({
  start: q.start,
  end: q.end,
  items: q.items ?? null,
  area: q.area ?? null,
  village: q.village ?? null,
  township: q.township ?? null,
  stationId: q.stationId ?? null,
  groupBy: q.groupBy,
});

async function place(db: CountyDb, q: CountyReportQuery): Promise<string> {
  return placeLabel(q, q.stationId ? await stationName(db, q.stationId) : undefined);
}

export function reportRoutes(app: FastifyInstance, db: CountyDb): void {
  const logTiming = (request: FastifyRequest, what: string, t: Timing) => request.log.info({ what, ...t }, 'county report computed');

  app.get('/console/api/reports/options', async (request) => {
    sessionOf(request);
    return reportOptions(db);
  });

  app.get('/console/api/reports', async (request) => {
    sessionOf(request);
    const q = parseOr(countyReportQuery, request.query, 'INVALID_INPUT');
    const { report, timing } = await countyReport(db, q);
    logTiming(request, 'report', timing);
    return { report, place: await place(db, q) };
  });

  app.get('/console/api/reports/drill', async (request) => {
    const actor = actorOf(request);
    const q = parseOr(countyDrillQuery, request.query, 'INVALID_INPUT');
    const page = await countyDrill(db, q);
    logTiming(request, 'drill', page.timing);
    await appendAudit(db, actor, { action: 'report.drill', detail: { ...spec(q), metric: q.metric, total: page.total, shown: page.rows.length, masked: true } });
    const { timing: _timing, ...rest } = page;
    return rest;
  });

  app.get('/console/api/reports/summary', async (request) => {
    sessionOf(request);
    const q = parseOr(countyReportQuery, request.query, 'INVALID_INPUT');
    return countySummary(db, q, await place(db, q));
  });

  app.get('/console/api/reports/export', async (request, reply) => {
    const actor = actorOf(request);
    const q = parseOr(countyExportQuery, request.query, 'INVALID_INPUT');
    const file = await countyExport(db, q, await place(db, q));
    await appendAudit(db, actor, {
      action: 'report.export',
      detail: { what: q.what, metric: q.metric ?? null, ...spec(q), fileName: file.fileName, rows: file.rows, masked: true },
    });
    reply.header('content-type', file.mime);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    reply.header('cache-control', 'private, no-store');
    return reply.send(file.bytes);
  });
}
