// Completion that follows the cursor: where it is (cursorContext), and what is
// offered there: C snippets only in `%{ %}`, declarations only between
// declarations, probe points in a probe header (the list opening on a space
// after `probe`), stap's print functions above library names, nothing in
// strings, comments or after `->`. The `|` in each text marks the cursor.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CompletionItem, CompletionItemKind, Hover } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { LibraryFunction, LibraryProbe, TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { SNIPPETS } from '../../server/src/docs/snippets';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { complete } from '../../server/src/features/completion';
import { cursorContext } from '../../server/src/features/cursorContext';
import { hover } from '../../server/src/features/hover';
import { signatureHelp } from '../../server/src/features/signatureHelp';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

// A small library: enough to tell levels, aliases and library functions apart.
const at = { file: '/usr/share/systemtap/tapset/x.stp', line: 0, character: 0, length: 1 };
const fn = (name: string, signature: string): [string, LibraryFunction[]] => [name, [{ name, signature, at }]];
const probe = (name: string): [string, LibraryProbe[]] => [name, [{ name, at, summary: `fires on ${name}` }]];
const INDEX: TapsetIndex = {
  functions: new Map([fn('print_backtrace_fileline', 'print_backtrace_fileline()'), fn('printk', 'printk(level:long, msg:string)'), fn('execname', 'execname:string()')]),
  probes: new Map([probe('netdev.receive'), probe('netdev.transmit'), probe('syscall.open'), probe('syscall.open.return')]),
};

const open = (marked: string) => {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { offset, text, document: TextDocument.create('file:///t.stp', 'systemtap', 1, text), analysis: analyze(text, { cParser }) };
};
const itemsAt = (marked: string, trigger?: string) => {
  const { analysis, document, offset } = open(marked);
  return complete(analysis, document, offset, INDEX, trigger);
};
const labelsAt = (marked: string, trigger?: string) => itemsAt(marked, trigger).map((i) => i.label);
const contextAt = (marked: string) => {
  const { analysis, offset } = open(marked);
  return cursorContext(analysis, offset).kind;
};
const newText = (i: CompletionItem | undefined) => (i?.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : i?.insertText);
const isCSnippet = (i: CompletionItem) => i.kind === CompletionItemKind.Snippet && /KERN_|STAP_|#include|ICMP_INC/.test(newText(i) ?? '') && !/\bfunction\b|^%\{/.test(newText(i) ?? '');

describe('where the cursor is', () => {
  const cases: [string, string][] = [
    ['|', 'topLevel'],
    ['probe begin {}\n|', 'topLevel'],
    ['global a\n|', 'topLevel'],
    ['function f() %{ %}\npr|', 'topLevel'],
    ['%( kernel_v > "5" %?\nprobe begin {}\n%)\n|', 'topLevel'],
    ['private |', 'afterPrivate'],
    ['global |', 'other'],
    ['function |', 'other'],
    ['function f(a|', 'other'],
    ['function f:|', 'type'],
    ['function f(a:|', 'type'],
    ['probe |', 'probePoint'],
    ['probe sys|', 'probePoint'],
    ['probe syscall.op|', 'probePoint'],
    ['probe begin, tim|', 'probePoint'],
    ['probe myalias = |', 'probePoint'],
    ['probe kernel.function("f").|', 'probePoint'],
    ['probe begin |', 'other'],
    ['probe kernel.function("|', 'string'],
    ['probe timer.ms(|', 'other'],
    ['probe begin if (|', 'expression'],
    ['probe begin { |', 'statement'],
    ['probe begin { x = 1; |', 'statement'],
    ['probe begin { x = 1\n  |', 'statement'],
    ['probe begin { if (x) |', 'statement'],
    ['probe begin { if (x) y = 1; else |', 'statement'],
    ['probe begin { foreach (k in a) |', 'statement'],
    ['probe begin { x = |', 'expression'],
    ['probe begin { x = f(|', 'expression'],
    ['probe begin { x = f(a, |', 'expression'],
    ['probe begin { return |', 'expression'],
    ['probe begin { if (|', 'expression'],
    ['probe begin { if |', 'other'],
    ['probe begin { f(a |', 'other'],
    ['probe begin { x = $skb->|', 'member'],
    ['probe begin { x = @cast(p, "struct sk_buff")->de|', 'member'],
    ['probe begin { x = y.|', 'member'],
    ['probe begin { x = @|', 'atName'],
    ['probe begin { x = @co|', 'atName'],
    ['probe begin { x = $|', 'dollar'],
    ['probe begin { x = $$pa|', 'dollar'],
    ['probe begin { x = "ab|c" }', 'string'],
    ['probe begin { x = "abc|', 'string'],
    ['probe begin { # pri|\n}', 'comment'],
    ['probe begin { /* pri| */ }', 'comment'],
    ['probe begin { /* c */| }', 'statement'],
    ['probe begin { %( kernel_v >= "5" %? |', 'statement'],
    ['probe begin { %( kernel_v|', 'ppCondition'],
    ['%( ar|', 'ppCondition'],
    ['@define m %( x = |', 'other'],
    ['@define m %( x %)\n|', 'topLevel'],
    ['function f() %{ pri| %}', 'embeddedC'],
    ['%{ #inc| %}', 'embeddedC'],
    ['probe begin { x = 12| }', 'other'],
    ['function f() { if (a) { b = 1 } |', 'statement'],
    ['function f() { a[1] = 2; |', 'statement'],
  ];
  for (const [marked, kind] of cases) test(`${JSON.stringify(marked)} -> ${kind}`, () => assert.equal(contextAt(marked), kind));

  test('the C text of a region, not its comments, strings or members', () => {
    const cText = (marked: string) => {
      const { analysis, offset } = open(marked);
      const c = cursorContext(analysis, offset);
      return c.kind === 'embeddedC' && c.cText;
    };
    assert.equal(cText('function f() %{ pri| %}'), true);
    assert.equal(cText('function f() %{ /* pri| */ %}'), false);
    assert.equal(cText('function f() %{ // pri|\n %}'), false);
    assert.equal(cText('function f() %{ x = "pri|"; %}'), false);
    assert.equal(cText('function f(p:long) %{ ((struct sk_buff *)STAP_ARG_p)->de| %}'), false);
    assert.equal(cText('function f() %{ /* x */ pri| %}'), true);
  });

  test('deep nesting and unbalanced brackets stay linear and answer', () => {
    const deep = `probe begin { x = ${'('.repeat(20_000)}1${')'.repeat(20_000)}; |`;
    assert.equal(contextAt(deep), 'statement');
    const unbalanced = `probe begin { ${'('.repeat(20_000)}${'}'.repeat(20_000)}|`;
    assert.ok(contextAt(unbalanced));
  });
});

describe('C snippets inside %{ %} only (issue 11, item 1)', () => {
  test('typing printk in an embedded-C function body offers the C snippets', () => {
    const items = itemsAt('function f:string(skb:long) %{\n  printk|\n%}\n');
    const printk = items.find((i) => i.label === 'printk' && i.kind === CompletionItemKind.Snippet);
    assert.ok(printk, items.map((i) => i.label).join());
    assert.match(newText(printk)!, /^printk\(\$\{1\|KERN_ERR,/);
    assert.equal(printk.insertTextFormat, 2);
    for (const label of ['devname', 'ICMP_INC_STATS'])
      assert.ok(
        items.some((i) => i.label === label && i.kind === CompletionItemKind.Snippet),
        label,
      );
  });
  test('in a top-level %{ %}: #include and printk, not the function-body snippets', () => {
    const labels = labelsAt('%{\n#inc|\n%}\n');
    assert.ok(labels.includes('#include') && labels.includes('printk'));
    assert.ok(!labels.includes('devname') && !labels.some((l) => l.startsWith('STAP_')));
    const include = itemsAt('%{\n#inc|\n%}\n').find((i) => i.label === '#include')!;
    assert.equal(include.textEdit && 'range' in include.textEdit && include.textEdit.range.start.character, 0, 'the # is replaced too');
  });
  test('no C snippet at script level, where C is a syntax error', () => {
    for (const marked of ['probe begin {\n  printk|\n}\n', 'printk|', 'probe begin { x = printk| }']) {
      const items = itemsAt(marked);
      assert.deepEqual(
        items.filter(isCSnippet).map((i) => i.label),
        [],
        marked,
      );
    }
    const inBody = itemsAt('probe begin {\n  printk|\n}\n').find((i) => i.label === 'printk');
    assert.equal(inBody?.kind, CompletionItemKind.Function, "the tapset's printk(level, msg)");
  });
  test('nothing in a C comment, a C string, after -> or in an expression region', () => {
    assert.deepEqual(itemsAt('function f() %{ /* pri| */ %}'), []);
    assert.deepEqual(itemsAt('function f(p:long) %{ ((struct sk_buff *)STAP_ARG_p)->| %}'), []);
    assert.deepEqual(itemsAt('probe begin { x = %{ pri| %} }'), []);
  });
});

describe('the list after `probe ` (issue 11, item 3)', () => {
  test('a space after probe asks for probe points', () => {
    const labels = labelsAt('probe |', ' ');
    for (const l of ['begin', 'kernel.function', 'netdev', 'syscall']) assert.ok(labels.includes(l), l);
    assert.ok(labelsAt('probe begin, |', ' ').includes('timer.ms'));
  });
  test('a space anywhere else answers nothing', () => {
    for (const marked of ['global |', 'probe begin { x = 1; |', 'probe begin |', '|', 'probe begin { x = |', 'function f() %{ x |%}']) assert.deepEqual(itemsAt(marked, ' '), [], marked);
  });
  test('a level inserts no `.`: `.` commits it and the list opens one level down', () => {
    const netdev = itemsAt('probe net|').find((i) => i.label === 'netdev')!;
    assert.equal(newText(netdev), 'netdev');
    assert.deepEqual(netdev.commitCharacters, ['.']);
    assert.equal(netdev.command?.command, 'editor.action.triggerSuggest');
    // As accepting it leaves the text, and after a `.` typed then.
    for (const marked of ['probe netdev|', 'probe netdev.|']) {
      const labels = labelsAt(marked, marked.endsWith('.|') ? '.' : undefined);
      assert.ok(labels.includes('netdev.receive') && labels.includes('netdev.transmit'), `${marked}: ${labels.join()}`);
    }
    assert.deepEqual(
      labelsAt('probe netdev..|', '.'),
      labelsAt('probe netdev..|', '.').filter((l) => !String(l).startsWith('netdev.')),
    );
  });
  test('the probe keyword at top level inserts `probe ` and opens the probe points', () => {
    const item = itemsAt('pro|').find((i) => i.label === 'probe')!;
    assert.equal(newText(item), 'probe ');
    assert.equal(item.command?.command, 'editor.action.triggerSuggest');
  });
});

describe("stap's print functions (issue 11, item 4)", () => {
  test('offered with signatures and docs, ranked above library names of the same prefix', () => {
    const items = itemsAt('probe begin {\n  print|\n}\n');
    const names = ['print', 'println', 'printf', 'printd', 'printdln', 'sprint', 'sprintln', 'sprintf', 'sprintd', 'sprintdln'];
    for (const name of names) {
      const item = items.find((i) => i.label === name);
      assert.ok(item, name);
      assert.match(item.detail!, new RegExp(`^${name}(:string)?\\(`));
      assert.ok((item.documentation as { value: string }).value.length > 40, name);
    }
    const sorted = [...items].filter((i) => String(i.label).startsWith('print')).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.ok(sorted.findIndex((i) => i.label === 'printf') < sorted.findIndex((i) => i.label === 'print_backtrace_fileline'), sorted.map((i) => i.label).join());
    assert.equal(items.find((i) => i.label === 'printf')?.insertText, 'printf($0)');
  });
  test('the statistics operators after @, with their signatures', () => {
    const items = itemsAt('global s\nprobe end { println(@|) }');
    for (const name of ['@count', '@sum', '@min', '@max', '@avg', '@variance', '@hist_linear', '@hist_log', '@entry', '@cast'])
      assert.ok(
        items.some((i) => i.label === name),
        name,
      );
    assert.equal(items.find((i) => i.label === '@hist_linear')?.detail, '@hist_linear(stat, start, stop, interval)');
    assert.ok(labelsAt('@define twice(x) %( @x * 2 %)\nprobe begin { y = @|').includes('@twice'));
  });
  test('hover and signature help know them', () => {
    const hoverAt = (marked: string) => {
      const { analysis, document, offset } = open(marked);
      const h: Hover | null = hover(analysis, document, offset, INDEX);
      return h ? (h.contents as { value: string }).value : '';
    };
    assert.match(hoverAt('probe begin { pri|ntf("%d\\n", 1) }'), /printf\(format:string, value, \.\.\.\)[\s\S]*format/);
    assert.match(hoverAt('global s\nprobe end { print(@hist_l|og(s)) }'), /base-2 logarithmic histogram/);
    const { analysis, offset } = open('probe begin { sprintf("%d", |) }');
    assert.equal(signatureHelp(analysis, offset, INDEX)?.signatures[0].label, 'sprintf:string(format:string, value, ...)');
  });
});

describe('between declarations, only what starts one (issue 11, item 5)', () => {
  test('probe, function, global, private, @define, %{, %( and declaration snippets', () => {
    for (const marked of ['|', 'probe begin {}\n|', 'global a\n|', 'pr|']) {
      const items = itemsAt(marked);
      const keywords = items.filter((i) => i.kind === CompletionItemKind.Keyword).map((i) => i.label);
      assert.deepEqual(keywords.sort(), ['%(', '%{', '@define', 'function', 'global', 'private', 'probe'].sort(), marked);
      const others = items.filter((i) => i.kind !== CompletionItemKind.Keyword);
      assert.ok(others.length > 0 && others.every((i) => i.kind === CompletionItemKind.Snippet), others.map((i) => i.label).join());
      assert.ok(!items.some((i) => ['execname', 'printf', 'if', 'foreach'].includes(i.label)), marked);
    }
  });
  test('after private: function or global; after `:` in a function header: a type', () => {
    assert.deepEqual(labelsAt('private |'), ['function', 'global']);
    assert.deepEqual(labelsAt('function f:|'), ['long', 'string']);
    assert.deepEqual(labelsAt('function |'), []);
  });
  test('%{ and @define replace the sigil typed', () => {
    const block = itemsAt('%|').find((i) => i.label === '%{')!;
    assert.ok(block.textEdit && 'range' in block.textEdit && block.textEdit.range.start.character === 0);
    assert.ok(labelsAt('@|').includes('@define'));
  });
});

describe('completion follows the context (issue 11, item 10)', () => {
  test('a probe header offers probe points only; after a component, what may follow it', () => {
    const labels = labelsAt('probe sys|');
    assert.ok(labels.includes('syscall') && !labels.includes('execname') && !labels.includes('if'));
    assert.deepEqual(labelsAt('probe kernel.function("vfs_read").|', '.').slice(0, 2), ['return', 'call']);
    assert.ok(labelsAt('probe process("/bin/ls").|', '.').includes('function'));
    assert.ok(labelsAt('probe module("ext4").fu|').includes('function'));
    for (const family of ['kernel.function', 'module.function', 'process.function', 'process.statement', 'process.mark', 'timer.ms', 'begin', 'end', 'error', 'never', 'perf'])
      assert.ok(labelsAt('probe |').includes(family), family);
  });
  test('after -> and after a `.` that follows a value: nothing', () => {
    assert.deepEqual(itemsAt('probe kernel.function("f") { x = $skb->|', '.'), []);
    assert.deepEqual(itemsAt('probe begin { x = y.|', '.'), []);
  });
  test('nothing in a string or a comment', () => {
    assert.deepEqual(itemsAt('probe begin { printf("ex|") }'), []);
    assert.deepEqual(itemsAt('probe begin { # ex|\n}'), []);
    assert.deepEqual(itemsAt('/* ex| */'), []);
  });
  test('statement keywords at the start of a statement, not inside an expression', () => {
    const start = labelsAt('probe begin {\n  x = 1\n  |\n}');
    for (const k of ['if', 'for', 'foreach', 'while', 'return', 'next', 'break', 'continue', 'delete', 'try']) assert.ok(start.includes(k), k);
    assert.ok(start.includes('execname') && start.includes('printf'), 'values too: a call is a statement');
    const expression = labelsAt('probe begin { x = 1 + |');
    assert.ok(expression.includes('execname') && expression.includes('sprintf'));
    assert.ok(!expression.some((l) => ['if', 'for', 'foreach', 'while', 'return', 'delete', 'try', 'probe', 'function'].includes(l)), expression.join());
    assert.ok(labelsAt('global arr\nprobe begin { |').includes('foreach'), 'the foreach snippet too');
  });
  test('$ offers the target-variable groups; %( conditions offer what they may test', () => {
    assert.ok(labelsAt('probe kernel.function("f") { print($|').includes('$$parms'));
    assert.ok(labelsAt('%( |').includes('kernel_v'));
    assert.ok(labelsAt('probe begin { %( ar|').includes('arch'));
  });
});

describe('snippet texts (issue 11, item 9)', () => {
  const byPrefix = (prefix: string) => SNIPPETS.find((s) => s.prefix === prefix)!.body.join('\n');
  test('fndevname checks the skb and its device before reading the name', () => {
    const body = byPrefix('fndevname');
    assert.match(body, /if \(skb == NULL\)\s+STAP_ERROR/);
    assert.match(body, /dev = kread\(&\(skb->dev\)\);\s+if \(dev == NULL\)\s+STAP_ERROR/);
    assert.doesNotMatch(body, /skb->dev->name/);
    assert.match(byPrefix('devname'), /if \(dev == NULL\)/);
  });
  test('the ICMP snippets use the spelling of the target kernel, renamed in Linux 4.7', () => {
    const icmp = SNIPPETS.find((s) => s.prefix === 'icmpinc')!;
    const body = icmp.body.join('\n');
    assert.match(body, /^%\( kernel_v < "4\.7" %\?\nfunction [\s\S]*ICMP_INC_STATS_BH\(dev_net[\s\S]*\n%:\nfunction [\s\S]*__ICMP_INC_STATS\(dev_net[\s\S]*\n%\)$/m);
    assert.match(icmp.description, /Linux 4\.7/);
    assert.ok(!SNIPPETS.some((s) => s.prefix === 'icmpincbh'), 'one snippet for both spellings');
    assert.match(byPrefix('ICMP_INC_STATS'), /#if LINUX_VERSION_CODE < KERNEL_VERSION\(4, 7, 0\)\nICMP_INC_STATS_BH[\s\S]*#else\n__ICMP_INC_STATS[\s\S]*#endif/);
  });
});
