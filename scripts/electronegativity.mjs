// Runs Electronegativity over the Electron shell and the renderer page and fails on any finding that is not
// excluded, with its reason, in security/electronegativity.json. Uses the library API (its CSV writer is racy).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync('security/electronegativity.json', 'utf8'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const run = require('@doyensec/electronegativity');
const cspEvaluator = require('@doyensec/csp-evaluator');

const stage = mkdtempSync(join(tmpdir(), 'eneg-'));
for (const src of config.input) cpSync(src, join(stage, basename(src)), { recursive: true });
const excluded = config.excludedChecks.map((e) => e.check);
const accepted = config.acceptedCspFindings ?? [];

// A CSP finding is dropped only when every weakness csp-evaluator sees in that policy is one we accepted in writing.
const onlyAcceptedCspWeaknesses = (issue) => {
  if (issue.id !== 'CSP_GLOBAL_CHECK' || typeof issue.sample !== 'string' || !issue.sample.includes('-src')) return false;
  const found = new cspEvaluator.CspEvaluator(new cspEvaluator.CspParser(issue.sample).csp, cspEvaluator.Version.CSP3).evaluate();
  return found.length > 0 && found.every((f) => accepted.some((a) => a.directive === f.directive && a.value === f.value));
};

const silence = console.log;
console.log = () => undefined; // the library prints progress bars and a promotional line
let result;
try {
  result = await run({
    input: stage,
    output: null,
    isSarif: false,
    customScan: [],
    excludeFromScan: excluded,
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    verbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
} finally {
  console.log = silence;
  rmSync(stage, { recursive: true, force: true });
}
const findings = result.issues.filter((i) => !onlyAcceptedCspWeaknesses(i));
console.log(
  `electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${findings.length} finding(s); excluded with written reasons: ${excluded.join(', ') || 'none'}`,
);
for (const f of findings) console.log(`  ${f.id} ${f.severity?.name ?? f.severity} ${f.file} ${f.location?.line ?? ''}: ${f.description}`);
if (result.errors.length) console.log(`  parse errors: ${result.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
process.exit(findings.length === 0 && result.errors.length === 0 ? 0 : 1);
