import { z } from 'zod';

/** Events the core pushes to the renderer (sync progress, status changes). Same contract on every transport. */
export const stationEvents = {
  'status.changed': z.object({}),
  'sync.progress': z.object({
    phase: z.enum(['idle', 'push', 'pull', 'attachments', 'done', 'error']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    message: z.string().optional(),
  }),
  /** Report/export jobs running in the worker (jobId chosen by the window that started it). */
  'reports.progress': z.object({ jobId: z.string(), phase: z.string(), done: z.number().int(), total: z.number().int() }),
} as const;

export type StationEventName = keyof typeof stationEvents;
export type StationEventPayload<E extends StationEventName> = z.infer<(typeof stationEvents)[E]>;
export const STATION_EVENT_NAMES = Object.keys(stationEvents) as StationEventName[];
