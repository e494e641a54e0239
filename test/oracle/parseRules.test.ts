// stap's rules that the corpus (oracle.test.ts) cannot show, because stap
// reports them without a line or as warnings: an empty script, and the
// warnings of pass 1. Each is run through the real stap and through us.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { StapVerdict, stapOrSkip, stapParseAll } from '../support/stapOracle';

const stap = stapOrSkip();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-rules-'));
const libraryMacros = loadLibraryMacros(findTapsetDir());

interface RuleCase {
  name: string;
  text: string;
  guru?: boolean;
  /** What stap prints, and what our finding must say (same kind of finding: an error, or a warning on an accepted script). */
  stapSays: RegExp;
  weSay: RegExp;
  /** stap's warnings carry a line; ours must be on it. */
  warningLine?: number;
}

const CASES: RuleCase[] = [
  { name: 'an empty file', text: '', stapSays: /Input file '.*' is empty\.$/m, weSay: /^this script is empty: / },
  { name: 'only comments and blank lines', text: '# a comment\n\n// another\n/* and a block */\n', stapSays: /is empty\.$/m, weSay: /^this script is empty: / },
  {
    name: 'everything in an untaken branch',
    text: '%( arch == "no-such-arch" %?\nprobe begin { }\n%)\n',
    stapSays: /is empty after preprocessing\.$/m,
    weSay: /^this script is empty after preprocessing: /,
  },
  { name: 'only a macro definition', text: '@define answer %( 42 %)\n', stapSays: /is empty after preprocessing\.$/m, weSay: /^this script is empty after preprocessing: / },
  {
    name: 'a macro named like a built-in operator',
    text: 'probe begin { }\n@define entry(x) %( @x %)\nprobe end { print(@entry(1)) }\n',
    stapSays: /WARNING: macro redefines built-in operator '@entry'/,
    weSay: /^macro redefines built-in operator '@entry'/,
    warningLine: 2,
  },
  {
    name: "'}%' in embedded C",
    text: 'function f() %{\n  if (1) { }%\n%}\nprobe begin { f() }\n',
    guru: true,
    stapSays: /WARNING: possible erroneous closing '\}%', use '%\}'\?/,
    weSay: /^possible erroneous closing '\}%' in embedded C/,
    // stap points at the '%{' (line 1), we at the '}%' itself.
    warningLine: 2,
  },
];

describe('rules stap reports without a line, or as warnings: stap and we agree', { skip: !stap && 'stap not installed' }, () => {
  let verdicts: StapVerdict[] = [];
  before(async () => {
    verdicts = await stapParseAll(
      stap!,
      CASES.map((c, i) => {
        const file = path.join(tmp, `rule${i}.stp`);
        fs.writeFileSync(file, c.text);
        return { file, guru: c.guru };
      }),
    );
  });
  CASES.forEach((c, i) => {
    test(c.name, () => {
      const v = verdicts[i];
      assert.match(v.stderr, c.stapSays);
      const findings = analyze(c.text, { syntaxOnly: true, guru: c.guru, libraryMacros }).findings;
      const errors = findings.filter((f) => f.severity === 'error');
      if (c.warningLine === undefined) {
        assert.equal(v.ok, false, v.stderr);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        assert.match(errors[0].message, c.weSay);
        return;
      }
      assert.equal(v.ok, true, v.stderr);
      assert.deepEqual(errors, []);
      const warning = findings.find((f) => f.severity === 'warning' && c.weSay.test(f.message));
      assert.ok(warning, JSON.stringify(findings));
      assert.equal(new LineIndex(c.text).positionAt(warning.start).line + 1, c.warningLine);
    });
  });
});
