// A few thousand seeded mutations in every test run; `npm run fuzz` runs 100,000
// and also flags slow cases. Here a case fails by throwing; its time is only
// reported (speed is the benchmarks' business), and a hang ends the test at its
// timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from '../support/fuzz';

const HANG = { timeout: 15 * 60_000 };

test('3000 mutated scripts: no exception', HANG, () => {
  const { failures, slowestMs } = fuzz(3000, 20261126, undefined, false, Infinity);
  console.log(`slowest case: ${slowestMs.toFixed(0)} ms`);
  assert.deepEqual(
    failures.slice(0, 3).map((f) => `case ${f.caseNumber}: ${f.problem}\n${JSON.stringify(f.input.slice(0, 2000))}`),
    [],
  );
});

test('200 scripts mutated toward deep nesting and macro blow-up: no exception', HANG, () => {
  const { failures, slowestMs } = fuzz(200, 20261201, undefined, true, Infinity);
  console.log(`slowest case: ${slowestMs.toFixed(0)} ms`);
  assert.deepEqual(
    failures.slice(0, 3).map((f) => `case ${f.caseNumber}: ${f.problem.slice(0, 500)}`),
    [],
  );
});
