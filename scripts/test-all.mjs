// `npm test`: every check the project has, in order, failing fast. The last line is a plain
// "N passed, N failed, N skipped" summary over all vitest projects that ran.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`--- ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) {
    console.log(`\n${totals.passed} passed, ${totals.failed + 1} failed, ${totals.skipped} skipped`);
    process.exit(r.status ?? 1);
  }
}

function vitest(project, extra = []) {
  mkdirSync('tests/output', { recursive: true });
  const report = `tests/output/vitest-${project}.json`;
  step(`vitest: ${project}`, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    console.log(`${project}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  }
}

step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('lint', 'npm', ['run', '--silent', 'lint']);
step('electronegativity', 'node', ['scripts/electronegativity.mjs']);
vitest('unit');
step('build (renderer + main)', 'npm', ['run', '--silent', 'build']);
vitest('e2e');
if (process.env.TEST_FAULTS !== '0' && existsSync('tests/faults')) vitest('faults');

console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
