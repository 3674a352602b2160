// Agreement with form-js itself. A child process (test/fixtures/forms/differential-run.ts) generates
// form schemas, task variables and submissions with fast-check, runs form-js's own viewer in jsdom
// and Gridflow's validator on each, and compares their verdicts field by field. Every difference
// must be one of the deliberate, stricter choices documented in forms/README.md.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Summary } from './fixtures/forms/differential-run.ts';

const SCHEMAS = 250;
const RUNS_PER_SCHEMA = 5;
const SEED = 20240601;

/** The differences forms/README.md documents ("Deliberate differences"). */
const DOCUMENTED = [
  'DATE_FORMAT: canonical dates and times only',
  'TIME_INTERVAL: minutes on the time picker grid',
  'DATE_IN_PAST: disallowPassedDates enforced',
  'DUPLICATE: an option chosen twice',
  'PHONE: E.164 subset of form-js phone pattern',
  'NOT_AN_OPTION/TYPE: valuesExpression options enforced',
  'TYPE: numeric text must be a plain decimal',
];

function runDifferential(): Promise<Summary> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const script = path.join(here, 'fixtures', 'forms', 'differential-run.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, String(SCHEMAS), String(RUNS_PER_SCHEMA), String(SEED)],
      { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024, timeout: 170_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`differential run failed: ${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Summary);
      },
    );
  });
}

describe('forms: differential test against form-js', function () {
  this.timeout(180_000);
  let summary: Summary;

  before(async () => {
    summary = await runDifferential();
    const deliberate = Object.values(summary.deliberate).reduce((a, b) => a + b, 0);
    const rate = (100 * summary.agreeing) / summary.fieldVerdicts;
    console.log(
      `      corpus: ${summary.schemas} schemas, ${summary.cases} submissions, ${summary.fieldVerdicts} field verdicts in ${(summary.millis / 1000).toFixed(1)} s\n` +
        `      agreement: ${summary.agreeing}/${summary.fieldVerdicts} field verdicts (${rate.toFixed(2)}%), ` +
        `${deliberate} deliberately stricter, ${summary.disagreements.length} unexplained; ` +
        `${summary.casesAgreeing}/${summary.cases} submissions agree on every field; ` +
        `form-js threw on ${summary.formJsCrashes} (left out; Gridflow refused ${summary.formJsCrashesRefused} of them)`,
    );
    for (const [reason, count] of Object.entries(summary.deliberate)) console.log(`        ${count} × ${reason}`);
  });

  it('ran the whole corpus', () => {
    assert.equal(summary.cases, SCHEMAS * RUNS_PER_SCHEMA);
    assert.ok(summary.fieldVerdicts > summary.cases, 'several fields per submission');
  });

  it('reaches the same verdict as form-js on every field, except the documented stricter choices', () => {
    const shown = summary.disagreements.slice(0, 3).map((d) => JSON.stringify(d, null, 1)).join('\n');
    assert.equal(summary.disagreements.length, 0, `${summary.disagreements.length} unexplained differences, e.g.\n${shown}`);
    for (const reason of Object.keys(summary.deliberate)) {
      for (const part of reason.split(' + ')) assert.ok(DOCUMENTED.includes(part), `undocumented difference: ${part}`);
    }
  });

  it('every international phone number Gridflow accepts, form-js accepts too', () => {
    assert.ok(summary.phoneCodesChecked > 200);
    assert.deepEqual(summary.phoneCodesRefusedByFormJs, []);
  });
});
