import type { Metric, ReportFilter } from '../../../shared/reports/model';
import type { Period } from '../../../shared/reports/period';

/** What the main thread asks of the report worker, and what comes back (structured-clone plain data). */
export type Job =
  | { kind: 'report'; period: Period; filter: ReportFilter; asOf: string }
  | {
      kind: 'drill';
      period: Period;
      filter: ReportFilter;
      asOf: string;
      metric: Metric;
      offset: number;
      limit: number;
      fullIdNumbers: boolean;
    }
  | { kind: 'summary'; period: Period; asOf: string; placeName: string }
  | { kind: 'export'; spec: ExportJobSpec; asOf: string; placeName: string; fullIdNumbers: boolean };

export type ExportJobSpec =
  | { what: 'report'; period: Period; filter: ReportFilter }
  | { what: 'list'; period: Period; metric: Metric; filter: ReportFilter }
  | { what: 'roster'; rosterId: string }
  | { what: 'summary'; period: Period; format: 'docx' | 'txt' };

export interface ExportFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
  rows: number;
}

export type ToWorker = { type: 'job'; jobId: string; job: Job };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; jobId: string; phase: string; done: number; total: number }
  | { type: 'result'; jobId: string; value: unknown }
  | { type: 'error'; jobId: string; code: string; message: string };

export interface WorkerConfig {
  dbFile: string;
  keyHex: string;
  nativeBinding?: string | undefined;
}
