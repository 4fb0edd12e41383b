import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { uuidText } from '../../shared/sync/mutations';
import type { CountyDb } from '../db/types';
import { getCase, listCases, listConflicts, listConflictsInput, resolveConflict, resolveConflictInput, stationProjection } from '../services/cases';
import {
  deletePolicyStandard,
  listPolicyStandards,
  policyStandardKey,
  recordDecision,
  recordDecisionInput,
  recordEconomicCheck,
  recordEconomicCheckInput,
  setPolicyStandard,
  setPolicyStandardInput,
  setTownshipLimit,
  setTownshipLimitInput,
  setVillages,
  setVillagesInput,
} from '../services/countyData';
import { createStation, createStationInput, issueEnrolmentCode, listStations, revokeStation } from '../services/stations';
import { requireAdmin } from './auth';
import { parseOr } from './parse';

const object = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const idParam = z.object({ id: uuidText });
const townshipParam = z.object({ township: z.string().min(1).max(64) });

/**
 * County admin API under /admin. Thin: each route is one service call in server/services (the console of issue 5
 * calls the same functions behind staff sessions).
 */
export async function adminRoutes(app: FastifyInstance, opts: { db: CountyDb; adminToken: string }): Promise<void> {
  const { db, adminToken } = opts;
  app.addHook('onRequest', async (request) => requireAdmin(adminToken, request));

  app.get('/admin/stations', async () => ({ stations: await listStations(db) }));
  app.post('/admin/stations', async (request, reply) => {
    const res = await createStation(db, parseOr(createStationInput, request.body, 'INVALID_INPUT'));
    request.log.info({ stationId: res.station.id }, 'station created');
    return reply.code(201).send(res);
  });
  app.post('/admin/stations/:id/enrolment-codes', async (request, reply) => {
    const { id } = parseOr(idParam, request.params);
    return reply.code(201).send(await issueEnrolmentCode(db, id));
  });
  app.post('/admin/stations/:id/revoke', async (request) => {
    const { id } = parseOr(idParam, request.params);
    const res = await revokeStation(db, id);
    request.log.info({ stationId: id, ...res }, 'station revoked');
    return res;
  });
  app.get('/admin/stations/:id/projection', async (request) => stationProjection(db, parseOr(idParam, request.params).id));

  app.get('/admin/cases', async (request) => {
    const q = object(request.query);
    return listCases(db, {
      stationId: q.stationId as string | undefined,
      stationState: q.stationState as string | undefined,
      decided: q.decided === undefined ? undefined : q.decided === 'true',
      limit: q.limit === undefined ? undefined : Number(q.limit),
      offset: q.offset === undefined ? undefined : Number(q.offset),
    });
  });
  app.get('/admin/cases/:id', async (request) => getCase(db, parseOr(idParam, request.params).id));
  app.post('/admin/cases/:id/decision', async (request) => {
    const { id } = parseOr(idParam, request.params);
    return recordDecision(db, parseOr(recordDecisionInput, { ...object(request.body), caseId: id }, 'INVALID_INPUT'));
  });
  app.post('/admin/cases/:id/economic-checks', async (request) => {
    const { id } = parseOr(idParam, request.params);
    return recordEconomicCheck(db, parseOr(recordEconomicCheckInput, { ...object(request.body), caseId: id }, 'INVALID_INPUT'));
  });

  app.get('/admin/standards', async () => ({ standards: await listPolicyStandards(db) }));
  app.put('/admin/standards', async (request) => setPolicyStandard(db, parseOr(setPolicyStandardInput, request.body, 'INVALID_INPUT')));
  app.delete('/admin/standards', async (request, reply) => {
    await deletePolicyStandard(db, parseOr(policyStandardKey, request.body, 'INVALID_INPUT'));
    return reply.code(204).send();
  });
  app.put('/admin/townships/:township/temporary-assistance-limit', async (request) => {
    const { township } = parseOr(townshipParam, request.params);
    return setTownshipLimit(db, parseOr(setTownshipLimitInput, { ...object(request.body), township }, 'INVALID_INPUT'));
  });
  app.put('/admin/townships/:township/villages', async (request) => {
    const { township } = parseOr(townshipParam, request.params);
    return setVillages(db, parseOr(setVillagesInput, { ...object(request.body), township }, 'INVALID_INPUT'));
  });

  app.get('/admin/conflicts', async (request) => ({ conflicts: await listConflicts(db, parseOr(listConflictsInput, request.query, 'INVALID_INPUT')) }));
  app.post('/admin/conflicts/:id/resolve', async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    await resolveConflict(db, parseOr(resolveConflictInput, { ...object(request.body), id }, 'INVALID_INPUT'));
    return reply.code(204).send();
  });
}
