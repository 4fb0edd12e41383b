/**
 * PouchDB (the peer) as the benchmarks use it: pouchdb-node with its default leveldb adapter (leveldown), plus
 * pouchdb-find. PouchDB ships no TypeScript types in this project, so the small surface we call is typed here.
 *
 * Durability, stated honestly: leveldown writes each batch to its log with `sync: false` by default, i.e. no fsync
 * per write (a power cut can lose the last writes; the OS decides when they reach the disk). PouchDB offers no option
 * for it, but accepts a custom leveldown constructor (`db` option); `openPouch(dir, { sync: true })` passes one that
 * forces `sync: true` on every put/del/batch, so each PouchDB write is fsynced like our SQLite commit.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface PouchDoc {
  _id: string;
  _rev?: string;
  [field: string]: unknown;
}

export interface PouchWriteResult {
  ok?: boolean;
  id?: string;
  rev?: string;
  error?: string | boolean;
  reason?: string;
}

export interface ReplicationResult {
  ok: boolean;
  docs_written: number;
  docs_read: number;
  doc_write_failures: number;
  errors: unknown[];
}

export interface PouchDb {
  bulkDocs(docs: PouchDoc[]): Promise<PouchWriteResult[]>;
  put(doc: PouchDoc): Promise<PouchWriteResult>;
  info(): Promise<{ doc_count: number; update_seq: number | string }>;
  createIndex(index: { index: { fields: string[]; name?: string; ddoc?: string } }): Promise<unknown>;
  find(request: {
    selector: Record<string, unknown>;
    limit?: number;
    fields?: string[];
    use_index?: string | [string, string];
  }): Promise<{ docs: PouchDoc[]; warning?: string }>;
  allDocs(opts: { include_docs?: boolean; limit?: number; startkey?: string; skip?: number }): Promise<{
    rows: { id: string; doc?: PouchDoc }[];
  }>;
  replicate: {
    to(target: string | PouchDb, opts?: Record<string, unknown>): Promise<ReplicationResult>;
  };
  close(): Promise<void>;
  destroy(): Promise<void>;
}

interface PouchStatic {
  new (name: string, opts?: Record<string, unknown>): PouchDb;
  plugin(plugin: unknown): PouchStatic;
  defaults(opts: Record<string, unknown>): PouchStatic;
}

type LevelCallback = (err?: Error | null) => void;
interface LevelDown {
  _put(key: unknown, value: unknown, options: Record<string, unknown>, cb: LevelCallback): void;
  _del(key: unknown, options: Record<string, unknown>, cb: LevelCallback): void;
  _batch(ops: unknown[], options: Record<string, unknown>, cb: LevelCallback): void;
}

let loaded: PouchStatic | null = null;

/** The PouchDB constructor with pouchdb-find registered (loaded lazily: the leveldown binary loads at run time). */
export function Pouch(): PouchStatic {
  if (!loaded) {
    const ctor = require('pouchdb-node') as PouchStatic;
    ctor.plugin(require('pouchdb-find'));
    loaded = ctor;
  }
  return loaded;
}

/**
 * leveldown with `sync: true` forced on every write. The function name matters: PouchDB caches open stores per
 * leveldown constructor *name*, so this must not be called `LevelDOWN`.
 */
function leveldownFsync(location: string): LevelDown {
  const leveldown = require('leveldown') as (location: string) => LevelDown;
  const db = leveldown(location);
  const put = db._put.bind(db);
  const del = db._del.bind(db);
  const batch = db._batch.bind(db);
  db._put = (key, value, options, cb) => put(key, value, { ...options, sync: true }, cb);
  db._del = (key, options, cb) => del(key, { ...options, sync: true }, cb);
  db._batch = (ops, options, cb) => batch(ops, { ...options, sync: true }, cb);
  return db;
}

export interface OpenPouchOptions {
  /** fsync every write (leveldown `sync: true`); default false, PouchDB's own default. */
  sync?: boolean;
}

export function openPouch(location: string, options: OpenPouchOptions = {}): PouchDb {
  const P = Pouch();
  return new P(location, options.sync ? { db: leveldownFsync } : {});
}

/** A description of the peer's durability for result tables. */
export const POUCH_DURABILITY = {
  default: 'leveldown sync:false — no fsync per write (PouchDB default)',
  fsync: 'leveldown sync:true forced on every write — fsync per write',
} as const;
