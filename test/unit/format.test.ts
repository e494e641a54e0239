// The formatter on small scripts: the layout it chooses, what it never touches, broken code,
// ranges, on-type indentation and stap-fmt's command line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FmtUsageError, parseFmtArgs } from '../../server/src/format/cliArgs';
import { formatText } from '../../server/src/format/layout';
import { DEFAULT_FORMAT_OPTIONS, FormatOptions } from '../../server/src/format/options';
import { formatOnType, formatRange } from '../../server/src/format/requests';
import { formatProblem } from '../support/formatChecks';

const SPACES: FormatOptions = { tabSize: 2, insertSpaces: true, declarationBraces: 'preserve', embeddedC: 'keep' };
const fmt = (text: string, options = SPACES) => formatText(text, options).text;

test('braces, one statement a line, spaces around operators and after commas', () => {
  assert.equal(fmt('probe begin{ x=1;y = x+2 if(x>0){printf("%d,%d\\n",x,y)} exit() }'), 'probe begin {\n  x = 1;\n  y = x + 2\n  if (x > 0) {\n    printf("%d,%d\\n", x, y)\n  }\n  exit()\n}\n');
});

test('unary and postfix operators, sort markers, ->, probe points and global wrap arrays keep their glue', () => {
  assert.equal(
    fmt('global a%[10],b\nprobe syscall.*,kernel.function("x").return?{i++;--j;y=-x;z=!$p->f;foreach([k]in a- limit 2)delete a[k]}'),
    'global a%[10], b\nprobe syscall.*, kernel.function("x").return? {\n  i++;\n  --j;\n  y = -x;\n  z = !$p->f;\n  foreach ([k] in a- limit 2) delete a[k]\n}\n',
  );
});

test("tabs by default; the editor's tab size and spaces when asked", () => {
  assert.equal(fmt('function f(){return 1}', DEFAULT_FORMAT_OPTIONS), 'function f() {\n\treturn 1\n}\n');
  assert.equal(fmt('function f(){return 1}', { ...SPACES, tabSize: 4 }), 'function f() {\n    return 1\n}\n');
});

test('declaration braces: as written, after the header, or on their own line', () => {
  const text = 'probe begin\n{\n  exit()\n}\nprobe end {\n  exit()\n}\n';
  assert.equal(fmt(text), text);
  assert.equal(fmt(text, { ...SPACES, declarationBraces: 'sameLine' }), 'probe begin {\n  exit()\n}\nprobe end {\n  exit()\n}\n');
  assert.equal(fmt(text, { ...SPACES, declarationBraces: 'nextLine' }), 'probe begin\n{\n  exit()\n}\nprobe end\n{\n  exit()\n}\n');
});

test('comments, blank-line groups, %{ %} and @define stay as written', () => {
  const text = '# a\n\n\n// b\nprobe begin { /* c */ x=1 # d\n}\n@define m(a) %( @a  +1 %)\nfunction g() %{  int  x ;\n   STAP_RETVALUE=1; %}\n';
  assert.equal(fmt(text), '# a\n\n// b\nprobe begin { /* c */\n  x = 1 # d\n}\n@define m(a) %( @a  +1 %)\nfunction g() %{  int  x ;\n   STAP_RETVALUE=1; %}\n');
  assert.equal(formatProblem(text, SPACES), undefined);
});

test('both %( %) branches are formatted, the untaken one too, each from the same depth', () => {
  const text = 'probe begin {\n%( kernel_v >= "9.9" %?\nx=1\n%:\ny=2\n%)\n}\n';
  assert.equal(fmt(text), 'probe begin {\n%( kernel_v >= "9.9" %?\n  x = 1\n%:\n  y = 2\n%)\n}\n');
});

test('a declaration with a syntax error is left alone; the others are formatted', () => {
  const text = 'probe begin{x=1}\nprobe end { x = = 2  }\nprobe end{y=2}\n';
  assert.equal(fmt(text), 'probe begin {\n  x = 1\n}\nprobe end { x = = 2  }\nprobe end {\n  y = 2\n}\n');
});

test('a range formats only its lines', () => {
  const doc = TextDocument.create('file:///r.stp', 'systemtap', 1, 'probe begin {\nx=1\ny=2\n}\n');
  const edits = formatRange(doc, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } }, SPACES);
  assert.equal(TextDocument.applyEdits(doc, edits), 'probe begin {\nx=1\n  y = 2\n}\n');
  // The lines around keep everything, trailing spaces and indentation too.
  const around = TextDocument.create('file:///r2.stp', 'systemtap', 1, '\nprobe begin {  \nx=1\n     y=2\n}\n');
  const inside = formatRange(around, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } }, SPACES);
  assert.equal(TextDocument.applyEdits(around, inside), '\nprobe begin {  \n  x = 1\n     y=2\n}\n');
});

test('on type: a new line is indented, a } re-indents its block', () => {
  const doc = TextDocument.create('file:///t.stp', 'systemtap', 1, 'probe begin {\n  if (x) {\n\n  }\n}\n');
  assert.equal(TextDocument.applyEdits(doc, formatOnType(doc, { line: 2, character: 0 }, '\n', SPACES)), 'probe begin {\n  if (x) {\n    \n  }\n}\n');
  const closing = TextDocument.create('file:///c.stp', 'systemtap', 1, 'probe begin {\nif (x) {\ny=1\n}\n}\n');
  assert.equal(TextDocument.applyEdits(closing, formatOnType(closing, { line: 3, character: 1 }, '}', SPACES)), 'probe begin {\n  if (x) {\n    y = 1\n  }\n}\n');
});

test('%{ %} re-indented on request: whole lines shift, continued lines and blank lines stay', () => {
  const text = 'probe begin {\n        x = %{ 1 +\n      2 %}\n}\nfunction f() %{\n#define A(x) \\\n  (x)\n\n      int y;\n   %}\n';
  const options = { ...SPACES, embeddedC: 'reindent' as const };
  assert.equal(fmt(text, options), 'probe begin {\n  x = %{ 1 +\n    2 %}\n}\nfunction f() %{\n  #define A(x) \\\n  (x)\n\n        int y;\n%}\n');
  assert.equal(formatProblem(text, options), undefined);
  assert.equal(fmt(text), 'probe begin {\n  x = %{ 1 +\n      2 %}\n}\nfunction f() %{\n#define A(x) \\\n  (x)\n\n      int y;\n   %}\n');
});

test('stap-fmt arguments', () => {
  const parsed = parseFmtArgs(['--check', '--indent', '4', 'a.stp']);
  assert.ok(parsed !== 'help');
  assert.deepEqual([parsed.check, parsed.write, parsed.files, parsed.format.insertSpaces, parsed.format.tabSize], [true, false, ['a.stp'], true, 4]);
  assert.equal(parseFmtArgs(['--help']), 'help');
  assert.throws(() => parseFmtArgs(['--check', '--write', 'a.stp']), FmtUsageError);
  assert.throws(() => parseFmtArgs([]), FmtUsageError);
});
