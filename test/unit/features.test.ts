// LSP features as functions of an analysis: hover, completion, quick fixes.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { withGuruFlag } from '../../server/src/analysis/shebang';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { closestName, codeActions } from '../../server/src/features/codeActions';
import { complete } from '../../server/src/features/completion';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { scriptInfo } from '../../server/src/features/scriptInfo';
import { parse } from '../../server/src/syntax/parser';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

const open = (text: string) => {
  const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
  return { document, analysis: analyze(text, { cParser }) };
};
const hoverText = (text: string, at: string) => {
  const { document, analysis } = open(text);
  const h = hover(analysis, document, text.indexOf(at) + 1);
  return h ? (h.contents as { value: string }).value : undefined;
};
const applyEdits = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///t.stp', 'systemtap', 1, text), edits);

const DEVNAME = 'function devname:string(skb:long) %{\n  snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%s", ((struct sk_buff *)(long)STAP_ARG_skb)->dev->name);\n%}\n';

describe('hover', () => {
  test('STAP_ARG_ names its parameter and C type', () => {
    assert.match(hoverText(DEVNAME, 'STAP_ARG_skb')!, /parameter `skb` of `devname` \(stap type `long`\)[\s\S]*`int64_t`/);
  });
  test('STAP_RETVALUE depends on the return type', () => {
    assert.match(hoverText(DEVNAME, 'STAP_RETVALUE')!, /`char` buffer of `MAXSTRINGLEN` bytes/);
    assert.match(hoverText('function f:long() %{ STAP_RETVALUE = 1; %}\n', 'STAP_RETVALUE')!, /`int64_t` lvalue/);
  });
  test('MAXSTRINGLEN, STAP_ERROR; nothing outside C or in C comments', () => {
    assert.match(hoverText(DEVNAME, 'MAXSTRINGLEN')!, /-DMAXSTRINGLEN/);
    assert.match(hoverText('function f() %{ STAP_ERROR("bad %d", 1); %}\n', 'STAP_ERROR')!, /script error/);
    assert.equal(hoverText('function f() %{ /* STAP_ERROR */ %}\n', 'STAP_ERROR'), undefined);
    assert.equal(hoverText('probe begin { /* STAP_ERROR */ print(1) }\n', 'STAP_ERROR'), undefined);
  });
  test('the checked memory accessors and the guru pragma', () => {
    const text = 'function f:long(p:long) %{ /* guru */ long v = kread((long *)STAP_ARG_p); kwrite((long *)STAP_ARG_p, v + 1); STAP_RETVALUE = uderef(4, STAP_ARG_p); %}\n';
    assert.match(hoverText(text, 'kread')!, /type of `\*ptr`.*read fault \[man error::fault\]/s);
    assert.match(hoverText(text, 'kwrite')!, /write fault.*needs `stap -g`/s);
    assert.match(hoverText(text, 'uderef')!, /user-space address/);
    assert.match(hoverText(text, 'guru')!, /needs `stap -g`/);
    assert.equal(hoverText('function f() %{ /* kread(x) */ %}\n', 'kread'), undefined);
  });
});

describe('completion', () => {
  const labels = (text: string, at: string) => {
    const { analysis, document } = open(text);
    return complete(analysis, document, text.indexOf(at)).map((i) => i.label);
  };
  test('inside a function body: its parameters, STAP_RETVALUE where it has a return type', () => {
    const items = labels('function f:long(x:long, name:string) %{ S %}\n', ' S ');
    assert.ok(items.includes('STAP_ARG_x') && items.includes('STAP_ARG_name'));
    assert.ok(items.includes('STAP_RETVALUE') && items.includes('KERN_ERR') && items.includes('MAXSTRINGLEN'));
    assert.ok(!labels('function g(x) %{ S %}\n', ' S ').includes('STAP_RETVALUE'));
  });
  test('no STAP_ names outside a function body', () => {
    assert.ok(!labels('%{ S %}\nprobe begin { x = 1 }\n', ' S ').some((l) => l.startsWith('STAP_')));
    assert.ok(!labels('probe begin { x = 1 }\n', 'x =').some((l) => l.startsWith('STAP_')));
  });
});

describe('quick fixes', () => {
  const fixes = (text: string, at: string) => {
    const { document, analysis } = open(text);
    const offset = text.indexOf(at);
    const range = { start: document.positionAt(offset), end: document.positionAt(offset) };
    return codeActions(analysis, document, range, toDiagnostics(analysis, document));
  };
  test('STAP_ARG_ typo: change to the nearest parameter, or add the parameter', () => {
    const text = '#!/usr/bin/stap -g\nfunction f:long(skb:long) %{ STAP_RETVALUE = STAP_ARG_skbb; %}\n';
    const [change, add] = fixes(text, 'STAP_ARG_skbb');
    assert.equal(change.title, 'Change to STAP_ARG_skb');
    assert.equal(change.isPreferred, true);
    assert.match(applyEdits(text, change.edit!.changes!['file:///t.stp']), /STAP_RETVALUE = STAP_ARG_skb;/);
    assert.match(applyEdits(text, add.edit!.changes!['file:///t.stp']), /function f:long\(skb:long, skbb\)/);
    assert.equal(change.diagnostics?.[0].code, 'stap-arg-unknown');
  });
  test('no near parameter among several: only the add fix', () => {
    const text = 'function f(a, b) %{ STAP_ARG_completely_else = 0; %}\n';
    assert.deepEqual(
      fixes(text, 'STAP_ARG_').map((f) => f.title),
      ["Add parameter 'completely_else' to f()"],
    );
  });
  test('guru mode: the #! line gets -g', () => {
    const text = '#!/usr/bin/stap -v\nfunction f() %{ %}\n';
    const [fix] = fixes(text, '%{');
    assert.equal(applyEdits(text, fix.edit!.changes!['file:///t.stp']).split('\n')[0], '#!/usr/bin/stap -vg');
  });
  test('closestName only takes near names', () => {
    assert.equal(closestName('skbb', ['skb', 'dev']), 'skb');
    assert.equal(closestName('xyz', ['skb', 'dev']), undefined);
  });
});

describe('withGuruFlag', () => {
  for (const [from, to] of [
    ['#!/usr/bin/stap', '#!/usr/bin/stap -g'],
    ['#!/usr/bin/stap -v', '#!/usr/bin/stap -vg'],
    ['#!/usr/bin/stap -p4 -v', '#!/usr/bin/stap -p4 -vg'],
    ['#!/usr/bin/stap -p4', '#!/usr/bin/stap -p4 -g'],
    ['#!/usr/bin/env stap', '#!/usr/bin/env -S stap -g'],
    ['#!/usr/bin/env -S stap -v', '#!/usr/bin/env -S stap -vg'],
  ]) {
    test(`${from} -> ${to}`, () => assert.equal(withGuruFlag(from), to));
  }
});

describe('hover on kernel idioms and pragmas', () => {
  const text = 'function log() %{ /* pure */ /* pragma:read:counter */\n  printk(KERN_ERR "jiffies=%lu\\n", jiffies);\n  ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);\n%}\n';
  test('printk, KERN_ERR, jiffies, ICMP_INC_STATS_BH', () => {
    assert.match(hoverText(text, 'printk')!, /kernel log buffer/);
    assert.match(hoverText(text, 'KERN_ERR')!, /log level 3/);
    assert.match(hoverText(text, 'jiffies)')!, /tick counter/);
    assert.match(hoverText(text, 'ICMP_INC_STATS_BH')!, /__ICMP_INC_STATS/);
  });
  test('pragmas', () => {
    assert.match(hoverText(text, 'pure')!, /no side effects/);
    assert.match(hoverText(text, 'pragma:read')!, /STAP_GLOBAL_GET_NAME/);
  });
  test('not inside strings', () => {
    assert.equal(hoverText(text, 'jiffies='), undefined);
  });
});

describe('script info for the Run commands', () => {
  test('guru mode: what needs it and where; the #! line', () => {
    const text = '#!/usr/bin/stap -v\nfunction f:long() %{ STAP_RETVALUE = 1; %}\nprobe kernel.function("x") { $y = 1 }\n';
    const { document, analysis } = open(text);
    const info = scriptInfo(analysis, document, false);
    assert.equal(info.needsGuru, true);
    assert.deepEqual(info.guruReasons, ["embedded C ('%{ %}') at line 2", 'writing the target variable $y at line 3']);
    assert.equal(info.declaresGuru, false);
    const plain = open('#!/usr/bin/stap -g\nprobe begin { exit() }\n');
    assert.deepEqual(scriptInfo(plain.analysis, plain.document, false), { needsGuru: false, guruReasons: [], declaresGuru: true, scriptArgs: 0 });
    assert.equal(scriptInfo(analysis, document, true).needsGuru, false, 'tapset files need no guru mode');
  });
  test('script arguments: the highest $N or @N in code, not in comments or strings', () => {
    const highestScriptArg = (text: string) => parse(text).scriptArgs;
    assert.equal(highestScriptArg('probe process(@1).function("main") { print($3) }\n'), 3);
    assert.equal(highestScriptArg('%( $# > 1 %? probe begin { print(@2) } %)\n'), 2);
    assert.equal(highestScriptArg('# uses $5\nprobe begin { print("$4") } // @6\n'), 0);
  });
});

describe('diagnostics', () => {
  test('too many findings: the most severe are shown first, and a note counts the rest', () => {
    const text = `probe begin {\n${'  nosuch()\n'.repeat(600)}}\nprobe end { x = }\n`;
    const analysis = analyze(text, { libraryFunctions: new Set(['execname']) });
    const shown = toDiagnostics(analysis, TextDocument.create('file:///many.stp', 'systemtap', 1, text));
    assert.equal(shown.length, 500);
    assert.ok(
      shown.some((d) => d.code === 'syntax' && d.range.start.line === 602),
      'the syntax error after 600 warnings is shown',
    );
    assert.match(shown[0].message, /^102 more findings not shown/);
    assert.equal(shown.filter((d) => d.code === 'function-unknown').length, 498);
  });
});
