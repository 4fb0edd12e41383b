/**
 * What the benchmarks ran on, for the results file: CPU, cores, RAM, Node, SQLite (the cipher build the store uses),
 * the disk under the temp folder, and how busy the machine was (load average) — figures from a shared 2-core box
 * are only comparable with that known.
 */
import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  ramGb: number;
  freeRamGb: number;
  os: string;
  node: string;
  sqlite: string;
  postgres: string;
  disk: string;
  loadAverage: [number, number, number];
}

function quiet(fn: () => string): string {
  try {
    return fn().trim();
  } catch {
    return 'unknown';
  }
}

function sqliteVersion(): string {
  return quiet(() => {
    const Database = require('better-sqlite3-multiple-ciphers') as new (file: string) => {
      prepare(sql: string): { pluck(): { get(): unknown } };
      close(): void;
    };
    const db = new Database(':memory:');
    try {
      const version = String(db.prepare('SELECT sqlite_version()').pluck().get());
      const cipher = quiet(() => String(db.prepare(`SELECT sqlite3mc_version()`).pluck().get()));
      return `SQLite ${version}${cipher !== 'unknown' ? ` (${cipher})` : ''}`;
    } finally {
      db.close();
    }
  });
}

/** Device, file system and rotational flag of the disk holding the temp folder (where the stores live). */
function diskOf(path: string): string {
  return quiet(() => {
    const [source, fstype] = execFileSync('findmnt', ['-n', '-T', path, '-o', 'SOURCE,FSTYPE'], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    const dev = (source ?? '').replace('/dev/', '').replace(/\d+$/, '');
    const rotational = quiet(() => readFileSync(`/sys/block/${dev}/queue/rotational`, 'utf8'));
    const kind =
      rotational === '0'
        ? 'SSD/non-rotational'
        : rotational === '1'
          ? 'reported rotational (virtual disk)'
          : 'unknown type';
    return `${source} ${fstype}, ${kind}`;
  });
}

export function describeMachine(): MachineDescription {
  const cpu = cpus();
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    ramGb: round1(totalmem() / 1024 ** 3),
    freeRamGb: round1(freemem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
    sqlite: sqliteVersion(),
    postgres: quiet(() =>
      execFileSync(`${process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'}/postgres`, ['--version'], {
        encoding: 'utf8',
      }),
    ),
    disk: diskOf(tmpdir()),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number],
  };
}
