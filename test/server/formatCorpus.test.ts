// The formatter on every installed tapset and example: the same tree, idempotent, comments and
// %{ %} byte for byte (or, re-indented, the same C line by line), nothing refused; with tabs (the
// tapsets' style) and with four spaces. Then
// stap-fmt (dist/fmt.js) as a process: --check, --write, and what it prints.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { listFiles } from '../../server/src/analysis/tapsetLibrary';
import { DEFAULT_FORMAT_OPTIONS } from '../../server/src/format/options';
import { formatProblem } from '../support/formatChecks';
import { DIST } from '../support/paths';
import { tempFolder } from '../support/tempFiles';

const DIRS = ['/usr/share/systemtap/tapset', '/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];
const files = DIRS.flatMap((d) => listFiles(d, ['.stp', '.stpm']));
const FMT = path.join(DIST, 'fmt.js');

for (const [name, options] of [
  ['tabs', DEFAULT_FORMAT_OPTIONS],
  ['four spaces, braces after the header, %{ %} re-indented', { tabSize: 4, insertSpaces: true, declarationBraces: 'sameLine' as const, embeddedC: 'reindent' as const }],
] as const) {
  test(`every installed tapset and example (${name}): same tree, idempotent, comments and %{ %} kept`, { skip: files.length === 0 && 'no tapsets installed' }, () => {
    const problems: string[] = [];
    let changed = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const problem = formatProblem(text, options, (out) => (changed += out === text ? 0 : 1));
      if (problem) problems.push(`${file}: ${problem}`);
    }
    console.log(`${files.length} files, ${changed} reformatted`);
    assert.deepEqual(problems, []);
    assert.ok(changed > 0, 'formatting changed nothing at all');
  });
}

test('stap-fmt: --check names the files it would change and exits 1; --write rewrites them; without either it prints', () => {
  const dir = tempFolder('stap-fmt-');
  const messy = path.join(dir, 'messy.stp');
  const tidy = path.join(dir, 'tidy.stp');
  fs.writeFileSync(messy, 'probe begin{printf("hi\\n");exit()}\n');
  fs.writeFileSync(tidy, 'probe begin {\n\texit()\n}\n');
  const check = spawnSync(process.execPath, [FMT, '--check', messy, tidy], { encoding: 'utf8' });
  assert.equal(check.status, 1);
  assert.equal(check.stdout, `${messy}\n`);
  assert.equal(spawnSync(process.execPath, [FMT, '--check', tidy], { encoding: 'utf8' }).status, 0);
  const printed = execFileSync(process.execPath, [FMT, '--indent', '2', messy], { encoding: 'utf8' });
  assert.equal(printed, 'probe begin {\n  printf("hi\\n");\n  exit()\n}\n');
  assert.equal(fs.readFileSync(messy, 'utf8'), 'probe begin{printf("hi\\n");exit()}\n', 'printing leaves the file alone');
  assert.equal(spawnSync(process.execPath, [FMT, '--write', messy], { encoding: 'utf8' }).status, 0);
  assert.equal(fs.readFileSync(messy, 'utf8'), 'probe begin {\n\tprintf("hi\\n");\n\texit()\n}\n');
  const usage = spawnSync(process.execPath, [FMT, '--bogus'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown option --bogus/);
});
