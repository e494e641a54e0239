// Golden tests: for each small input in test/fixtures/golden, the syntax tree
// and error list as text must equal the checked-in `.tree` file.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 npm run test:unit
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dumpScript } from '../../server/src/syntax/dump';
import { parse } from '../../server/src/syntax/parser';
import { FIXTURES } from '../support/paths';

const dir = path.join(FIXTURES, 'golden');
const inputs = fs.readdirSync(dir).filter((f) => f.endsWith('.stp'));

test('golden inputs exist', () => assert.ok(inputs.length >= 7));

for (const input of inputs) {
  test(`golden: ${input}`, () => {
    const text = fs.readFileSync(path.join(dir, input), 'utf8');
    const actual = dumpScript(text, parse(text));
    const expectedFile = path.join(dir, input.replace(/\.stp$/, '.tree'));
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(expectedFile, actual);
    assert.equal(actual, fs.readFileSync(expectedFile, 'utf8'));
  });
}
