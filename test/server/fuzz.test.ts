// A few thousand seeded mutations in every test run; `npm run fuzz` runs 100,000.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz, MAX_PARSE_MS } from '../support/fuzz';

test(`3000 mutated scripts: no exception, each parsed within ${MAX_PARSE_MS} ms`, () => {
  const { failures } = fuzz(3000, 20261126);
  assert.deepEqual(
    failures.slice(0, 3).map((f) => `case ${f.caseNumber}: ${f.problem}\n${JSON.stringify(f.input.slice(0, 2000))}`),
    [],
  );
});

test(`200 scripts mutated toward deep nesting and macro blow-up: no exception, each within ${MAX_PARSE_MS} ms`, () => {
  const { failures } = fuzz(200, 20261201, undefined, true);
  assert.deepEqual(
    failures.slice(0, 3).map((f) => `case ${f.caseNumber}: ${f.problem.slice(0, 500)}`),
    [],
  );
});
