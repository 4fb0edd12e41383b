// Runs Electronegativity over the Electron shell and the renderer page and fails on any finding that is not
// excluded, with its reason, in security/electronegativity.json.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync('security/electronegativity.json', 'utf8'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const stage = mkdtempSync(join(tmpdir(), 'eneg-'));
for (const src of config.input) cpSync(src, join(stage, basename(src)), { recursive: true });
const out = join(stage, 'findings.csv');
const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
const excluded = config.excludedChecks.map((e) => e.check);
try {
  execFileSync(process.execPath, [cli, '-i', stage, '-r', '-v', 'false', '-e', electronVersion, '-x', excluded.map((c) => c.toLowerCase()).join(','), '-o', out], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (err) {
  console.error(String(err.stderr ?? err));
  process.exit(1);
}
if (!existsSync(out)) {
  console.error('electronegativity produced no report');
  process.exit(1);
}
const accepted = config.acceptedCspFindings ?? [];
const cspEvaluator = require('@doyensec/csp-evaluator');
// A CSP finding is dropped only when every weakness csp-evaluator sees in that policy is one we accepted in writing.
const onlyAcceptedCspWeaknesses = (row) => {
  const policy = /^CSP_GLOBAL_CHECK,[^,]*,[^,]*,[^,]*,"[^"]*","([^"]*)"/.exec(row)?.[1];
  if (!policy) return false;
  const found = new cspEvaluator.CspEvaluator(new cspEvaluator.CspParser(policy).csp, cspEvaluator.Version.CSP3).evaluate();
  return found.length > 0 && found.every((f) => accepted.some((a) => a.directive === f.directive && a.value === f.value));
};
const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean).filter((row) => !onlyAcceptedCspWeaknesses(row));
rmSync(stage, { recursive: true, force: true });
console.log(`electronegativity: ${rows.length} finding(s); excluded with written reasons: ${excluded.join(', ') || 'none'}`);
for (const row of rows) console.log('  ' + row);
process.exit(rows.length === 0 ? 0 : 1);
