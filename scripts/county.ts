// County server command line. `npm run county` bundles this file to dist/server/county.mjs and runs it.
//
//   county start [--data DIR] [--port P] [--host H] [--database-url URL]
//   county enrol-station --code CODE --township NAME [--name NAME] [--data DIR] [--database-url URL]
//   county create-admin --username USER --name 姓名 [--data DIR] [--database-url URL]   (password: COUNTY_ADMIN_PASSWORD or stdin)
//
// Environment: DATABASE_URL, COUNTY_ADMIN_TOKEN, COUNTY_TLS_CERT, COUNTY_TLS_KEY, COUNTY_LOG_LEVEL.
// `start` prints one JSON line {"event":"ready","url":…} on stdout once it listens (scripts and tests wait for it).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openCountyDb } from '../server/db/open';
import { startCountyServer } from '../server/main';
import { missingNodeFlags } from '../server/nodeFlags';
import { compactionFromEnv } from '../server/services/compactionSchedule';
import { createStation } from '../server/services/stations';
import { createFirstAdmin } from '../server/services/console/staff';

const DEFAULT_DATA = '.data/county';
const DEFAULT_PORT = 7440;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'database-url': { type: 'string' },
    code: { type: 'string' },
    township: { type: 'string' },
    name: { type: 'string' },
    username: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const command = positionals[0] ?? 'start';
const dataDir = resolve(values.data ?? process.env.COUNTY_DATA ?? DEFAULT_DATA);
const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
const serverFile = join(dataDir, 'server.json');

function fail(message: string): never {
  process.stderr.write(`county: ${message}\n`);
  process.exit(2);
}

/** The server running on this data folder, if any (the embedded database must not be opened twice). */
async function runningServer(): Promise<{ pid: number; url: string } | null> {
  if (!existsSync(serverFile)) return null;
  try {
    const info = JSON.parse(readFileSync(serverFile, 'utf8')) as { pid: number; url: string };
    process.kill(info.pid, 0);
    // A live pid may belong to an unrelated process after a crash and reboot: ask the server itself.
    await fetch(`${info.url}/health`, { signal: AbortSignal.timeout(3000) });
    return info;
  } catch {
    return null;
  }
}

async function start(): Promise<void> {
  const port = Number(values.port ?? process.env.COUNTY_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
  const other = await runningServer();
  if (other) fail(`a county server (pid ${other.pid}) is already running on ${dataDir} at ${other.url}`);
  const server = await startCountyServer({
    dataDir,
    databaseUrl,
    port,
    host: values.host ?? process.env.COUNTY_HOST,
    adminToken: process.env.COUNTY_ADMIN_TOKEN,
    tlsCertFile: process.env.COUNTY_TLS_CERT,
    tlsKeyFile: process.env.COUNTY_TLS_KEY,
    compaction: compactionFromEnv(process.env),
  });
  writeFileSync(serverFile, JSON.stringify({ pid: process.pid, url: server.url }), { mode: 0o600 });
  if (server.adminTokenGenerated) {
    process.stderr.write(
      `\n县级服务器管理令牌（仅显示这一次，已保存到 ${join(dataDir, 'admin-token')}）：\n  ${server.adminToken}\n\n`,
    );
  }
  const missing = missingNodeFlags();
  if (missing.length) {
    // Still correct without them, only slower under many pushes (server/nodeFlags.ts says why).
    process.stderr.write(`county: started without ${missing.join(' ')}: run as \`node ${missing.join(' ')} dist/server/county.mjs start …\` (docs/sync-protocol.md, "Running it")\n`);
  }
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: server.url, pid: process.pid, database: server.db.kind })}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`county: ${signal} received, finishing requests in flight…\n`);
    server
      .close()
      .then(() => {
        rmSync(serverFile, { force: true });
        process.exit(0);
      })
      .catch((err: unknown) => {
        process.stderr.write(`county: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function enrolStation(): Promise<void> {
  if (!values.code || !values.township) fail('enrol-station needs --code and --township');
  const input = { code: values.code, township: values.township, ...(values.name ? { name: values.name } : {}) };
  let result: { station: { id: string; code: string; township: string }; enrolment: { code: string; expiresAt: string } };
  const running = databaseUrl ? null : await runningServer();
  if (running) {
    // The embedded database belongs to the running server: go through its admin API.
    const token = process.env.COUNTY_ADMIN_TOKEN ?? readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const res = await fetch(`${running.url}/admin/stations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as typeof result & { message?: string };
    if (!res.ok) fail(body.message ?? `HTTP ${res.status}`);
    result = body;
  } else {
    const db = await openCountyDb({ dataDir, databaseUrl });
    try {
      result = await createStation(db, input);
    } finally {
      await db.close();
    }
  }
  process.stdout.write(
    `工作站已登记：${result.station.code}（${result.station.township}）\n` +
      `一次性注册码：${result.enrolment.code}\n有效期至：${result.enrolment.expiresAt}\n`,
  );
}

/** The first console administrator (issue 5), when nobody can sign in to the first-run screen. */
async function createAdmin(): Promise<void> {
  if (!values.username || !values.name) fail('create-admin needs --username and --name');
  let password = process.env.COUNTY_ADMIN_PASSWORD;
  if (!password) {
    process.stderr.write('请输入管理员密码（至少 10 位，含字母和数字），回车结束：\n');
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
      password = line;
      break;
    }
    lines.close();
  }
  const input = { username: values.username, displayName: values.name, password: password ?? '' };
  const running = databaseUrl ? null : await runningServer();
  if (running) {
    // The embedded database belongs to the running server: use its first-run endpoint, guarded by the admin token.
    const adminToken = process.env.COUNTY_ADMIN_TOKEN ?? readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const res = await fetch(`${running.url}/console/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: running.url },
      body: JSON.stringify({ ...input, adminToken }),
    });
    const body = (await res.json()) as { message?: string };
    if (!res.ok) fail(body.message ?? `HTTP ${res.status}`);
  } else {
    const db = await openCountyDb({ dataDir, databaseUrl });
    try {
      await createFirstAdmin(db, input, { via: 'cli' });
    } catch (err) {
      fail((err as Error).message);
    } finally {
      await db.close();
    }
  }
  process.stdout.write(`县级控制台管理员已创建：${values.username}\n`);
}

if (values.help) {
  process.stdout.write(
    'usage: county start [--data DIR] [--port P] [--host H] [--database-url URL]\n' +
      '       county enrol-station --code CODE --township NAME [--name NAME] [--data DIR] [--database-url URL]\n' +
      '       county create-admin --username USER --name NAME [--data DIR] [--database-url URL]\n',
  );
} else if (command === 'start') {
  await start();
} else if (command === 'enrol-station') {
  await enrolStation();
} else if (command === 'create-admin') {
  await createAdmin();
} else {
  fail(`unknown command ${command} (start | enrol-station | create-admin)`);
}
