// Every snippet, expanded with its default placeholders, must parse with our
// parser and with `stap -p1 -g`; prefixes must be unique.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { REPO_ROOT } from '../support/paths';
import { stapOrSkip, stapParseAsync } from '../support/stapOracle';

interface Snippet {
  prefix: string;
  body: string[];
}

const snippets = Object.entries(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'snippets', 'systemtap.json'), 'utf8')) as Record<string, Snippet>);

/** The text VS Code inserts when every placeholder keeps its default (the first choice). */
export function expandDefaults(body: string): string {
  let text = body;
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+:([^${}]*)\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '');
}

// Snippets that are a statement, or a line of C, need somewhere to stand.
const CONTEXT: Record<string, (s: string) => string> = {
  printk: (s) => `function f() %{\n${s}\n%}\n`,
  foreach: (s) => `global array\nprobe end {\n${s}\n}\n`,
};
const scriptOf = ([, s]: [string, Snippet]) => (CONTEXT[s.prefix] ?? ((x: string) => x + '\n'))(expandDefaults(s.body.join('\n')));

test('snippet prefixes are unique', () => {
  const prefixes = snippets.map(([, s]) => s.prefix);
  assert.deepEqual(prefixes.filter((p, i) => prefixes.indexOf(p) !== i), []);
  assert.ok(snippets.length >= 12);
});

test('placeholder expansion', () => {
  assert.equal(expandDefaults('printk(${1|KERN_ERR,KERN_INFO|} "${2:msg}"${3:, ${4:args}});$0'), 'printk(KERN_ERR "msg", args);');
});

describe('every snippet parses with our parser', () => {
  for (const entry of snippets) {
    test(entry[0], () => {
      const errors = analyze(scriptOf(entry), { syntaxOnly: true, guru: true }).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors.map((e) => e.message), []);
    });
  }
});

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
