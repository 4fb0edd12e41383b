/**
 * The peer's server: express-pouchdb (CouchDB HTTP API, `minimumForPouchDB` mode, which keeps its gzip response
 * compression) over PouchDB with the leveldb adapter, in its own OS process like our county server.
 * Usage: node --import tsx bench/peers/pouchServer.ts DATA_DIR — prints {"event":"ready","url":…} once listening.
 * Durability: leveldown default, no fsync per write (see lib/pouch.ts).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Pouch } from './lib/pouch';

const require = createRequire(import.meta.url);
const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pouchServer.ts DATA_DIR');
  process.exit(2);
}
const express = require('express') as () => {
  use(path: string, handler: unknown): void;
  listen(port: number, host: string, cb: () => void): { address(): AddressInfo };
};
const expressPouchDb = require('express-pouchdb') as (pouch: unknown, opts: Record<string, unknown>) => unknown;

const ServerPouch = Pouch().defaults({ prefix: `${join(dataDir, 'db')}-` });
const app = express();
app.use(
  '/',
  expressPouchDb(ServerPouch, {
    mode: 'minimumForPouchDB',
    inMemoryConfig: true,
    logPath: join(dataDir, 'log.txt'),
  }),
);
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
});
