// Completion and hover from the kernel's data, on the test-made fixture
// kernel: function, tracepoint and module names in probe point strings
// (half-typed too), `$` variables of the probed function, members through
// pointers, typedefs, qualifiers, anonymous members, arrays, @entry and
// @cast, members and struct names in `%{ %}` C; and silence without kernel
// data. The `|` in each text marks the cursor.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Hover, MarkupContent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { complete, completionList } from '../../server/src/features/completion';
import { hover } from '../../server/src/features/hover';
import { chainBefore } from '../../server/src/features/memberChain';
import { Btf } from '../../server/src/kernel/btf';
import { KernelTypes } from '../../server/src/kernel/kernelTypes';
import { BtfWriter } from '../support/btfWriter';
import { kernelFixture } from '../support/kernelFixture';

const fixture = kernelFixture();
const vmlinux = new Btf(fixture.vmlinux);
const kernel = new KernelTypes(vmlinux, {
  source: 'fixture',
  symbols: ['entry_SYSCALL_64'],
  moduleSymbols: new Map([
    ['othermod', ['other_fn', 'other_gn']],
    ['fixmod', ['fixmod_rx', 'fixmod_timer']],
  ]),
  listModules: () => ['vmlinux', 'fixmod'],
  loadModule: (name) => (name === 'fixmod' ? new Btf(fixture.module, vmlinux) : undefined),
});

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

const open = (marked: string) => {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { offset, text, document: TextDocument.create('file:///t.stp', 'systemtap', 1, text), analysis: analyze(text, { cParser, guru: true }) };
};
const listAt = (marked: string, types: KernelTypes | null = kernel, trigger?: string) => {
  const { analysis, document, offset } = open(marked);
  return completionList(analysis, document, offset, undefined, trigger, types ?? undefined);
};
const labelsAt = (marked: string, types: KernelTypes | null = kernel, trigger?: string) => listAt(marked, types, trigger).items.map((i) => i.label);
const detailOf = (marked: string, label: string) => listAt(marked).items.find((i) => i.label === label)?.detail;
const hoverAt = (marked: string, types: KernelTypes | null = kernel): string | undefined => {
  const { analysis, document, offset } = open(marked);
  const h: Hover | null = hover(analysis, document, offset, undefined, types ?? undefined);
  return h ? (h.contents as MarkupContent).value : undefined;
};

describe('kernel names in probe point strings', () => {
  test('function names, filtered by what is typed, with prototypes', () => {
    assert.deepEqual(labelsAt('probe kernel.function("tcp_|") {}'), ['tcp_sendmsg']);
    assert.equal(detailOf('probe kernel.function("ip_o|") {}', 'ip_output'), 'int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)');
    assert.deepEqual(labelsAt('probe kernel.function("ip_o|").return {}'), ['ip_output']);
    assert.deepEqual(labelsAt('probe kprobe.function("vfs_|") {}'), ['vfs_read']);
  });

  test('names the symbol table alone knows', () => {
    assert.deepEqual(labelsAt('probe kernel.function("entry_|") {}'), ['entry_SYSCALL_64']);
  });

  test('a half-typed string, without its closing quote or the rest of the probe', () => {
    assert.deepEqual(labelsAt('probe kernel.function("wake_|'), ['wake_up_new_task']);
    assert.deepEqual(labelsAt('probe kernel.function("alloc|\nprobe begin {}'), ['alloc_skb']);
  });

  test('the whole typed name is replaced, from the opening quote', () => {
    const { items } = listAt('probe kernel.function("tcp_s|") {}');
    const edit = items[0].textEdit as { range: { start: { character: number }; end: { character: number } }; newText: string };
    assert.equal(edit.range.start.character, 'probe kernel.function("'.length);
    assert.equal(edit.newText, 'tcp_sendmsg');
  });

  test('tracepoints in kernel.trace, not functions', () => {
    assert.deepEqual(labelsAt('probe kernel.trace("|") {}'), ['consume_skb', 'kfree_skb', 'sched_switch']);
    assert.deepEqual(labelsAt('probe kernel.trace("sched|") {}'), ['sched_switch']);
  });

  test('module names, and a module function from its BTF or its symbols', () => {
    assert.deepEqual(labelsAt('probe module("|").function("x") {}'), ['fixmod', 'othermod']);
    assert.deepEqual(labelsAt('probe module("fixmod").function("fixmod_|") {}'), ['fixmod_rx', 'fixmod_timer']);
    assert.equal(detailOf('probe module("fixmod").function("fixmod_|") {}', 'fixmod_rx'), 'int fixmod_rx(struct fixmod_state *st, struct sk_buff *skb)');
    assert.deepEqual(labelsAt('probe module("othermod").function("|") {}'), ['other_fn', 'other_gn']);
    assert.deepEqual(labelsAt('probe kprobe.module("othermod").function("other_g|") {}'), ['other_gn']);
  });

  test('other strings and patterns get nothing', () => {
    assert.deepEqual(labelsAt('probe process("/bin/ls").function("ma|") {}'), []);
    assert.deepEqual(labelsAt('probe kernel.function("tcp_*|") {}'), []);
    assert.deepEqual(labelsAt('probe begin { print("tcp_|") }'), []);
  });

  test('capped, and marked incomplete when cut', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4, { signed: true });
    for (let i = 0; i < 500; i++) w.function(`fn_${String(i).padStart(3, '0')}`, int, []);
    const many = new KernelTypes(new Btf(w.build()), { source: 'many' });
    const all = listAt('probe kernel.function("|") {}', many);
    assert.equal(all.items.length, 200);
    assert.equal(all.isIncomplete, true);
    const some = listAt('probe kernel.function("fn_49|") {}', many);
    assert.deepEqual(
      some.items.map((i) => i.label),
      Array.from({ length: 10 }, (_, i) => `fn_49${i}`),
    );
    assert.equal(some.isIncomplete, false);
  });
});

describe('$ target variables', () => {
  test("the probed function's parameters, with their C types", () => {
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($|) }'), ['$net', '$sk', '$skb', '$$vars', '$$parms', '$$locals', '$1', '$#']);
    assert.equal(detailOf('probe kernel.function("ip_output") { print($s|) }', '$skb'), 'struct sk_buff *');
  });

  test('$return and $$return only in .return probes', () => {
    const labels = labelsAt('probe kernel.function("alloc_skb").return { print($|) }');
    assert.ok(labels.includes('$return') && labels.includes('$$return') && labels.includes('$size'), labels.join());
    assert.equal(detailOf('probe kernel.function("alloc_skb").return { print($|) }', '$return'), 'struct sk_buff *');
  });

  test("a tracepoint's arguments", () => {
    assert.deepEqual(labelsAt('probe kernel.trace("sched_switch") { $|'), ['$preempt', '$prev', '$next', '$$vars', '$$parms', '$$locals', '$1', '$#']);
  });

  test('with several points, what every point has', () => {
    assert.deepEqual(labelsAt('probe kernel.function("ip_output"), kernel.function("tcp_sendmsg") { $|'), ['$sk', '$$vars', '$$parms', '$$locals', '$1', '$#']);
  });

  test("unknown functions: the $$ names and the script arguments; stap's own probes: the script arguments only", () => {
    assert.deepEqual(labelsAt('probe kernel.function("nope") { $|'), ['$$vars', '$$parms', '$$locals', '$1', '$#']);
    assert.deepEqual(labelsAt('probe begin { $|'), ['$1', '$#']);
  });
});

describe('members after -> and .', () => {
  test('$var->: through the pointer, anonymous unions flattened, with C types', () => {
    const labels = labelsAt('probe kernel.function("ip_output") { print($skb->|) }');
    for (const m of ['next', 'prev', 'list', 'dev', 'sk', 'cb', 'len', 'cloned', 'destructor', 'data']) assert.ok(labels.includes(m), `${m} in ${labels.join()}`);
    assert.ok(!labels.includes(''));
    assert.equal(detailOf('probe kernel.function("ip_output") { print($skb->|) }', 'dev'), 'struct net_device *');
    assert.equal(detailOf('probe kernel.function("ip_output") { print($skb->l|) }', 'len'), 'unsigned int');
    assert.equal(detailOf('probe kernel.function("ip_output") { print($skb->|) }', 'cloned'), 'unsigned char : 1');
    // Internal members sort after the others.
    const sorted = listAt('probe kernel.trace("sched_switch") { print($prev->|) }')
      .items.sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label))
      .map((i) => i.label);
    assert.deepEqual(sorted, ['comm', 'flags_a', 'flags_b', 'parent', 'pid', 'prio', 'se', '__state']);
  });

  test('the trigger characters ask only where they mean something', () => {
    assert.deepEqual(labelsAt('function f:long () %{ int x = $|', kernel, '$'), []);
    assert.deepEqual(labelsAt('probe begin { printf("|', kernel, '"'), []);
    assert.ok(labelsAt('probe kernel.function("|', kernel, '"').includes('tcp_sendmsg'));
    assert.ok(labelsAt('probe kernel.function("ip_output") { $|', kernel, '$').includes('$skb'));
  });

  test('[i] on a pointer reaches what it points to', () => {
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->dev[0]->|) }'), ['name', 'flags', 'stats']);
  });

  test('half-typed bodies and the ">" trigger', () => {
    assert.ok(labelsAt('probe kernel.function("ip_output") { x = $skb->|', kernel, '>').includes('len'));
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { x = $skb-|', kernel, '>'), []);
  });

  test('a chain: $skb->dev->, through embedded structs with ., and arrays', () => {
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->dev->|) }'), ['name', 'flags', 'stats']);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->dev->stats.|) }'), ['rx_packets', 'tx_packets']);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->dev->stats->|) }'), ['rx_packets', 'tx_packets']);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($sk->__sk_common->|) }'), ['skc_state', 'skc_family']);
    assert.deepEqual(labelsAt('probe kernel.trace("sched_switch") { print($prev->parent->se->|) }'), ['vruntime', 'on_rq']);
  });

  test('through typedefs and volatile', () => {
    assert.deepEqual(labelsAt('probe begin { print(@cast(p, "sk_buff_t")->dev->|) }'), ['name', 'flags', 'stats']);
    assert.deepEqual(labelsAt('probe begin { print(@cast(p, "task_struct")->prio->|) }'), []);
  });

  test('@entry and @cast, with and without "struct" and a module', () => {
    assert.ok(labelsAt('probe kernel.function("alloc_skb").return { print(@entry($skb)->|) }').length === 0);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output").return { print(@entry($skb)->dev->|) }'), ['name', 'flags', 'stats']);
    assert.deepEqual(labelsAt('probe begin { print(@cast(p, "sock")->|) }'), ['__sk_common', 'sk_rcvbuf', 'sk_stamp']);
    assert.deepEqual(labelsAt('probe begin { print(@cast(p, "struct sock", "kernel")->|) }'), ['__sk_common', 'sk_rcvbuf', 'sk_stamp']);
    assert.deepEqual(labelsAt('probe begin { print(@cast(p, "fixmod_state", "fixmod")->|) }'), ['count', 'last']);
    assert.deepEqual(labelsAt('probe begin { print(@cast(p, "fixmod_state", "fixmod")->last->dev->|) }'), ['name', 'flags', 'stats']);
  });

  test('a missing member, an unknown variable, a plain name: nothing', () => {
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->nope->|) }'), []);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($nope->|) }'), []);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print(skb->|) }'), []);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->len->|) }'), []);
  });
});

describe('kernel completion in %{ %} C', () => {
  test('members of a variable declared with a kernel struct type', () => {
    const text = 'function f:long (p:long) %{\n  struct sk_buff *skb = (struct sk_buff *)STAP_ARG_p;\n  STAP_RETVALUE = skb->|;\n%}';
    const labels = labelsAt(text);
    assert.ok(labels.includes('len') && labels.includes('dev'), labels.join());
    assert.ok(!labels.includes('STAP_RETVALUE'));
    assert.deepEqual(labelsAt('function f:long () %{\n  struct net_device_stats s;\n  STAP_RETVALUE = s.|\n%}'), ['rx_packets', 'tx_packets']);
    assert.ok(labelsAt('function f:long () %{ STAP_RETVALUE = current->|; %}').includes('__state'));
    assert.deepEqual(labelsAt('function f:long (p:long) %{ STAP_RETVALUE = ((struct sock *)STAP_ARG_p)->|; %}'), ['__sk_common', 'sk_rcvbuf', 'sk_stamp']);
  });

  test('struct names after `struct `, beside the C items', () => {
    const labels = labelsAt('function f:long () %{\n  struct sk_|\n%}');
    assert.ok(labels.includes('sk_buff'), labels.join());
    assert.ok(!labels.includes('sock'));
    assert.ok(labelsAt('%{\nstruct |\n%}').includes('task_struct'));
  });

  test("the script's own struct types are not the kernel's", () => {
    assert.deepEqual(labelsAt('%{ struct sock { int mine; }; %}\nfunction f:long () %{ struct sock *s = 0; STAP_RETVALUE = s->|; %}'), []);
  });
});

describe('without kernel data', () => {
  test('nothing of the kernel is offered, and nothing fails', () => {
    assert.deepEqual(labelsAt('probe kernel.function("tcp_|") {}', null), []);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { print($skb->|) }', null), []);
    assert.deepEqual(labelsAt('probe kernel.function("ip_output") { $|', null), ['$$vars', '$$parms', '$$locals', '$1', '$#']);
    assert.ok(!labelsAt('function f:long () %{\n  struct sk_|\n%}', null).includes('sk_buff'));
    assert.equal(hoverAt('probe kernel.function("ip_output") { print($s|kb) }', null), undefined);
    assert.equal(hoverAt('probe kernel.function("ip_o|utput") {}', null), undefined);
  });

  test('complete() keeps its array answer', () => {
    const { analysis, document, offset } = open('probe kernel.function("tcp_|") {}');
    assert.deepEqual(
      complete(analysis, document, offset, undefined, undefined, kernel).map((i) => i.label),
      ['tcp_sendmsg'],
    );
  });
});

describe('kernel hover', () => {
  test('$var: its C type and the prototype', () => {
    const value = hoverAt('probe kernel.function("ip_output") { print($s|kb->len) }');
    assert.match(value ?? '', /struct sk_buff \*\$skb/);
    assert.match(value ?? '', /int ip_output\(struct net \*net, struct sock \*sk, struct sk_buff \*skb\)/);
    assert.match(hoverAt('probe kernel.function("alloc_skb").return { print($ret|urn) }') ?? '', /struct sk_buff \*\n```\n\nThe return value of/);
    assert.match(hoverAt('probe kernel.trace("sched_switch") { print($pre|v) }') ?? '', /struct task_struct \*\$prev[\s\S]*Argument of[\s\S]*sched_switch\(bool preempt/);
  });

  test('a member: its type and offset', () => {
    assert.match(hoverAt('probe kernel.function("ip_output") { print($skb->le|n) }') ?? '', /unsigned int len\n```\n\nMember of `struct sk_buff`, at byte 80/);
    assert.match(hoverAt('probe kernel.function("ip_output") { print($skb->dev->na|me) }') ?? '', /char name\[16\][\s\S]*struct net_device`, at byte 0/);
    assert.match(hoverAt('probe kernel.function("ip_output") { print($skb->clo|ned) }') ?? '', /unsigned char cloned : 1[\s\S]*at bit 672 \(byte 84\)/);
    assert.match(hoverAt('probe kernel.function("ip_output") { print($skb->ne|xt) }') ?? '', /struct sk_buff \*next[\s\S]*at byte 0/);
  });

  test('a function or tracepoint named in a probe point', () => {
    assert.match(hoverAt('probe kernel.function("tcp_se|ndmsg") {}') ?? '', /int tcp_sendmsg\(struct sock \*sk, struct msghdr \*msg, size_t size\)/);
    assert.match(hoverAt('probe kernel.function("entry_SYS|CALL_64") {}') ?? '', /symbol table/);
    assert.match(hoverAt('probe kernel.trace("sched_sw|itch") {}') ?? '', /sched_switch\(bool preempt, struct task_struct \*prev, struct task_struct \*next\)/);
    assert.equal(hoverAt('probe kernel.function("nope|") {}'), undefined);
  });

  test('in C: members and struct names', () => {
    const text = 'function f:long (p:long) %{\n  struct sk_buff *skb = (struct sk_buff *)STAP_ARG_p;\n  STAP_RETVALUE = skb->le|n;\n%}';
    assert.match(hoverAt(text) ?? '', /unsigned int len[\s\S]*at byte 80/);
    assert.match(hoverAt('function f:long () %{\n  struct sk_b|uff *skb = 0;\n%}') ?? '', /struct sk_buff\n```\n\n104 bytes, \d+ members/);
  });

  test('the hover of other names is unchanged', () => {
    assert.equal(hoverAt('probe kernel.function("ip_output") { print($skb->nope|) }'), undefined);
  });
});

describe('the chain before -> and .', () => {
  const chain = (text: string) => JSON.stringify(chainBefore(text, text.length));
  test('what it reads, and what it does not', () => {
    assert.equal(chain('$skb->dev'), JSON.stringify({ base: { kind: 'target', name: 'skb' }, steps: ['dev'] }));
    assert.equal(chain('$p->cb[ $i ]->x'), JSON.stringify({ base: { kind: 'target', name: 'p' }, steps: ['cb', '[]', 'x'] }));
    assert.equal(chain('@cast(a[1], "struct sock", "kernel")'), JSON.stringify({ base: { kind: 'cast', typeName: 'struct sock', module: 'kernel' }, steps: [] }));
    assert.equal(chain('($skb)->sk'), JSON.stringify({ base: { kind: 'target', name: 'skb' }, steps: ['sk'] }));
    assert.equal(chain('f($skb)'), undefined);
    assert.equal(chain('$$parms'), undefined);
    assert.equal(chain('"->'), undefined);
    assert.equal(chain(')'), undefined);
    assert.equal(chain(''), undefined);
  });
});

describe('half-typed and hostile text', () => {
  const SCRIPTS = [
    'probe kernel.function("ip_output").return { println($skb->dev->stats.rx_packets, @entry($skb)->len, @cast($sk, "sock")->__sk_common->skc_state, $skb->cb[1]) }\n',
    'probe module("fixmod").function("fixmod_rx"), kernel.trace("sched_switch") { $st->last->dev->name; $prev->comm[0] }\n',
    'function f:long (p:long) %{\n  struct sk_buff *skb = (struct sk_buff *)STAP_ARG_p;\n  STAP_RETVALUE = ((struct sock *)skb->sk)->sk_rcvbuf + current->se.on_rq;\n%}\n',
  ];
  test('completion and hover at every offset of every cut never throw', () => {
    for (const script of SCRIPTS) {
      for (let cut = 0; cut <= script.length; cut += 3) {
        const text = script.slice(0, cut);
        const analysis = analyze(text, { cParser, guru: true });
        const document = TextDocument.create('file:///cut.stp', 'systemtap', 1, text);
        for (let offset = Math.max(0, cut - 12); offset <= cut; offset++) {
          completionList(analysis, document, offset, undefined, undefined, kernel);
          completionList(analysis, document, offset, undefined, '>', kernel);
          hover(analysis, document, offset, undefined, kernel);
        }
      }
    }
  });

  test('long chains and deep parentheses are given up, not followed', () => {
    const long = `probe kernel.function("ip_output") { x = $skb${'->next'.repeat(5000)}->|`;
    assert.deepEqual(labelsAt(long), []);
    const deep = `probe kernel.function("ip_output") { x = ${'('.repeat(3000)}$skb${')'.repeat(3000)}->|`;
    assert.deepEqual(labelsAt(deep), []);
    assert.ok(labelsAt(`probe kernel.function("ip_output") { x = ((($skb)))->|`).includes('len'));
    assert.ok(labelsAt(`probe kernel.function("ip_output") { x = $skb${'->next'.repeat(20)}->|`).includes('len'));
  });
});
