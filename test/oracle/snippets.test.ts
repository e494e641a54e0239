// Every snippet, expanded with its default placeholders, must parse with
// `stap -p1 -g` (with our parser: test/unit/snippets.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { scriptOf, snippets } from '../support/snippets';
import { stapOrSkip, stapParseAsync } from '../support/stapOracle';

const stap = stapOrSkip();
describe('every snippet parses with stap -p1 -g', { skip: !stap && 'stap not installed' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-snippets-'));
  snippets.forEach((entry, i) => {
    test(entry[0], async () => {
      const file = path.join(dir, `snippet${i}.stp`);
      fs.writeFileSync(file, scriptOf(entry));
      const verdict = await stapParseAsync(stap!, file, { guru: true });
      assert.ok(verdict.ok, verdict.stderr);
    });
  });
});
