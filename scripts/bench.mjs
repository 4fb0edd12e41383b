#!/usr/bin/env node
// Runs one benchmark: `node scripts/bench.mjs NAME [--quick]` → bench/NAME.ts under tsx, in its own process so that
// each benchmark starts cold and its exit code is the runner's.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'synthetic.ts')
  .map((f) => f.replace(/\.ts$/, ''));

if (!name || !/^[a-z][a-zA-Z0-9-]*$/.test(name) || !existsSync(join(benchDir, `${name}.ts`))) {
  console.error(`usage: node scripts/bench.mjs NAME [--quick]\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}

const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, `${name}.ts`), ...rest], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
