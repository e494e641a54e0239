// language-configuration.json's folding markers. VS Code also reads them as
// "region" section headers for the minimap (editor.minimap.showRegionSectionHeaders):
// on a line the start marker matches, the header is the line's text from
// the length of the match on (the match's length, not its end), trimmed and
// stripped of dashes. A marker matching `%{` at the end of
// `function devname:string(skb:long) %{` labelled the minimap "nction…long) %{".
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT, SAMPLES } from '../support/paths';

const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'language-configuration.json'), 'utf8'));
const start = new RegExp(config.folding.markers.start);
const end = new RegExp(config.folding.markers.end);

/** The minimap's region headers for a text, as VS Code computes them from a start marker. */
function regionHeaders(text: string, marker: RegExp): { line: number; text: string }[] {
  const headers: { line: number; text: string }[] = [];
  text.split('\n').forEach((line, i) => {
    const match = line.match(marker);
    if (!match) return;
    const rest = line.substring(match[0].length).trim();
    const label = rest.replace(/^-+|-+$/g, '');
    if (label || rest.startsWith('-')) headers.push({ line: i + 1, text: label });
  });
  return headers;
}

/** Every script the test can read: the samples, the fixtures, and the installed tapsets and examples. */
function scripts(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.stpm?$/.test(entry.name)) found.push(p);
    }
  };
  for (const dir of [SAMPLES, path.join(REPO_ROOT, 'test', 'fixtures'), '/usr/share/systemtap/tapset', '/usr/share/systemtap/examples']) walk(dir);
  return found;
}

describe('folding markers', () => {
  test('the way VS Code labels the minimap: the old marker gave the labels seen on screen', () => {
    const old = /%[{(](?!.*%[})])/;
    assert.deepEqual(regionHeaders('function devname:string(skb:long) %{\n', old), [{ line: 1, text: 'nction devname:string(skb:long) %{' }]);
    assert.deepEqual(regionHeaders('function f:long() %{ /* pure */ /* stable */\n', old), [{ line: 1, text: 'nction f:long() %{ /* pure */ /* stable */' }]);
  });

  test('no minimap section header on any line of any script', () => {
    const files = scripts();
    assert.ok(files.length >= 6, `only ${files.length} scripts`);
    const headers = files.flatMap((file) => regionHeaders(fs.readFileSync(file, 'utf8'), start).map((h) => `${file}:${h.line}: ${h.text}`));
    assert.deepEqual(headers, []);
    for (const line of ['function devname:string(skb:long) %{', '%{ /* pure */', '  %{ #include <linux/sched.h>', 'x = %{ 1 %}', '%( kernel_v >= "2.6.30" %?']) {
      assert.deepEqual(regionHeaders(line, start), [], line);
    }
  });

  test('a %{ or %( alone on its line still starts a fold, %} and %) end one', () => {
    for (const line of ['%{', '  %{', '%{  ', '%(']) assert.match(line, start);
    for (const line of ['%}', '  %}', '%) ', '%}  /* end */']) assert.match(line, end);
    assert.doesNotMatch('function f() %{', start);
  });
});
