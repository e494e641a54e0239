// Every snippet, expanded with its default placeholders, must parse with our
// parser (and with `stap -p1 -g`: test/oracle/snippets.test.ts); prefixes must
// be unique.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { expandDefaults, scriptOf, snippets } from '../support/snippets';

test('snippet prefixes are unique', () => {
  const prefixes = snippets.map(([, s]) => s.prefix);
  assert.deepEqual(
    prefixes.filter((p, i) => prefixes.indexOf(p) !== i),
    [],
  );
  assert.ok(snippets.length >= 12);
});

test('placeholder expansion', () => {
  assert.equal(expandDefaults('printk(${1|KERN_ERR,KERN_INFO|} "${2:msg}"${3:, ${4:args}});$0'), 'printk(KERN_ERR "msg", args);');
});

describe('every snippet parses with our parser', () => {
  for (const entry of snippets) {
    test(entry[0], () => {
      const errors = analyze(scriptOf(entry), { syntaxOnly: true, guru: true }).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
      );
    });
  }
});
