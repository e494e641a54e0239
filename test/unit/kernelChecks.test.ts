// The kernel checks on the test-made fixture kernel: kernel-function-unknown,
// target-variable-unknown, target-member-unknown and c-member-unknown, each
// with the cases where it must stay quiet (patterns, optional probes, @defined
// and @choose_defined, guarded branches, untaken %( %) branches, #if arms),
// and their quick fixes as the editor applies them.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { codeActions } from '../../server/src/features/codeActions';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { Btf } from '../../server/src/kernel/btf';
import { KernelTypes } from '../../server/src/kernel/kernelTypes';
import { MacroDefinition } from '../../server/src/syntax/preprocessor';
import { kernelFixture } from '../support/kernelFixture';
import { tempFolder } from '../support/tempFiles';

const fixture = kernelFixture();
const vmlinux = new Btf(fixture.vmlinux);
const kernel = new KernelTypes(vmlinux, {
  source: 'fixture',
  symbols: ['entry_SYSCALL_64'],
  moduleSymbols: new Map([['othermod', ['other_fn']]]),
  loadModule: (name) => (name === 'fixmod' ? new Btf(fixture.module, vmlinux) : undefined),
});
// The library's @choose_defined, as the installed tapsets define it.
const CHOOSE_DEFINED = '@define choose_defined(value_if_defined, alternate) %(\n\t( @defined(@value_if_defined) ? (@value_if_defined) : (@alternate) )\n%)\n';
let libraryMacros: ReadonlyMap<string, MacroDefinition>;
let cParser: CParser;

before(async () => {
  libraryMacros = loadLibraryMacros(tempFolder('stap-kernel-macros-', { 'choose_defined.stpm': CHOOSE_DEFINED }), 'x86_64');
  cParser = await loadCParser();
});

const KERNEL_CODES = new Set(['kernel-function-unknown', 'target-variable-unknown', 'target-member-unknown', 'c-member-unknown']);

/** The kernel findings as [code, text at the range, replacement]. */
function findings(text: string, options: AnalysisOptions = {}): [string, string, string | undefined][] {
  return analyze(text, { kernel, libraryMacros, cParser, guru: true, ...options })
    .findings.filter((f) => KERNEL_CODES.has(f.code))
    .map((f) => [f.code, text.slice(f.start, f.end), f.replacement]);
}

/** The text after applying the quick fix titled `title` at the finding of `code`. */
function applyFix(text: string, code: string, title: RegExp): string {
  const document = TextDocument.create('file:///k.stp', 'systemtap', 1, text);
  const analysis = analyze(text, { kernel, libraryMacros, cParser, guru: true });
  const diagnostics = toDiagnostics(analysis, document);
  const d = diagnostics.find((x) => x.code === code);
  assert.ok(d, `no ${code} finding`);
  const action = codeActions(analysis, document, d.range, diagnostics).find((a) => title.test(a.title));
  assert.ok(action, `no fix like ${title}`);
  assert.deepEqual(action.diagnostics, [d]);
  return TextDocument.applyEdits(document, action.edit!.changes![document.uri]);
}

describe('kernel-function-unknown', () => {
  test('a function the kernel lacks, with the nearest name and its fix', () => {
    const text = 'probe kernel.function("tcp_sendmsgg") { }\n';
    assert.deepEqual(findings(text), [['kernel-function-unknown', 'tcp_sendmsgg', 'tcp_sendmsg']]);
    const [f] = analyze(text, { kernel }).findings;
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /this kernel has no function 'tcp_sendmsgg' \(did you mean 'tcp_sendmsg'\?\).*inline function/);
    assert.equal(applyFix(text, 'kernel-function-unknown', /Change to tcp_sendmsg/), 'probe kernel.function("tcp_sendmsg") { }\n');
  });

  test('return probes, kprobes, alias definitions and modules are checked too', () => {
    assert.deepEqual(findings('probe kernel.function("nosuch").return { }\n'), [['kernel-function-unknown', 'nosuch', undefined]]);
    assert.deepEqual(findings('probe kprobe.function("ip_outpt") { }\n'), [['kernel-function-unknown', 'ip_outpt', 'ip_output']]);
    assert.deepEqual(findings('probe my.alias = kernel.function("nosuch") { }\n'), [['kernel-function-unknown', 'nosuch', undefined]]);
    assert.deepEqual(findings('probe module("fixmod").function("fixmod_rxx") { }\n'), [['kernel-function-unknown', 'fixmod_rxx', 'fixmod_rx']]);
    assert.deepEqual(findings('probe kprobe.module("othermod").function("other_fnn") { }\n'), [['kernel-function-unknown', 'other_fnn', 'other_fn']]);
  });

  test('known: in BTF, in the symbol table only, in a module by BTF or by symbol', () => {
    const text = [
      'probe kernel.function("tcp_sendmsg"), kernel.function("ip_output").return, kprobe.function("entry_SYSCALL_64") { }',
      'probe module("fixmod").function("fixmod_rx"), module("othermod").function("other_fn") { }',
      '',
    ].join('\n');
    assert.deepEqual(findings(text), []);
  });

  test('never for patterns, optional probes, the points after a "!", inline probes, or modules without data', () => {
    for (const point of [
      'kernel.function("tcp_*")',
      'kernel.function("tcp_send?sg")',
      'kernel.function("tcp_[ab]")',
      'kernel.function("nosuch")?',
      'kernel.function("nosuch")!',
      'module("nomod").function("x")!, kernel.function("nosuch")',
      'kernel.function("nosuch@net/ipv4/tcp.c")',
      'kernel.function("nosuch:120")',
      'kernel.function("nosuch").inline',
      'module("nomod").function("nosuch")',
      'module("nf_*").function("nosuch")',
      'kernel.function(@1)',
      'kernel.trace("nosuch")',
      'kernel.statement("nosuch@x.c:1")',
    ]) {
      assert.deepEqual(findings(`probe ${point} { }\n`, { kernel }), [], point);
    }
  });

  test('not in library code, not without kernel data, not while the symbol table is still loading', () => {
    const text = 'probe kernel.function("nosuch") { }\n';
    assert.deepEqual(findings(text, { isLibrary: true }), []);
    assert.deepEqual(findings(text, { kernel: undefined }), []);
    const loading = new KernelTypes(vmlinux, { source: 'fixture' });
    loading.symbolsExpected = true;
    assert.deepEqual(findings(text, { kernel: loading }), []);
    loading.addSymbols([]);
    assert.deepEqual(findings(text, { kernel: loading }), [['kernel-function-unknown', 'nosuch', undefined]]);
  });
});

describe('target-variable-unknown', () => {
  test('not a parameter: information, saying a local may still resolve, with the nearest parameter', () => {
    const text = 'probe kernel.function("tcp_sendmsg") { println($sizee) }\n';
    assert.deepEqual(findings(text), [['target-variable-unknown', '$sizee', '$size']]);
    const f = analyze(text, { kernel }).findings.find((x) => x.code === 'target-variable-unknown')!;
    assert.equal(f.severity, 'information');
    assert.match(f.message, /'\$sizee' is not a parameter of tcp_sendmsg: int tcp_sendmsg\(struct sock \*sk, struct msghdr \*msg, size_t size\).*local variable may still resolve with debuginfo/);
    assert.equal(applyFix(text, 'target-variable-unknown', /Change to \$size/), 'probe kernel.function("tcp_sendmsg") { println($size) }\n');
  });

  test('tracepoint arguments; every point of a probe must have the variable', () => {
    assert.deepEqual(findings('probe kernel.trace("sched_switch") { println($prev->pid, $nextt) }\n'), [['target-variable-unknown', '$nextt', '$next']]);
    assert.deepEqual(findings('probe kernel.function("tcp_sendmsg"), kernel.function("ip_output") { println($sk, $size) }\n'), [['target-variable-unknown', '$size', undefined]]);
  });

  test('$return: known in .return probes, a warning on entry', () => {
    assert.deepEqual(findings('probe kernel.function("alloc_skb").return { println($return->len, $size) }\n'), []);
    const text = 'probe kernel.function("alloc_skb") { println($return) }\n';
    assert.deepEqual(findings(text), [['target-variable-unknown', '$return', undefined]]);
    assert.equal(analyze(text, { kernel }).findings[0].severity, 'warning');
  });

  test('quiet: $$ variables, pretty-printing, @defined, @var, functions without BTF, patterns, mixed points, kprobes, script functions', () => {
    for (const text of [
      'probe kernel.function("tcp_sendmsg") { println($$parms, $$vars, $$locals, $$parms$, $size$, $sk$$) }',
      'probe kernel.function("tcp_sendmsg").return { println($$return, $return, @entry($size)) }',
      'probe kernel.function("tcp_sendmsg") { if (@defined($copied)) println($copied) }',
      'probe kernel.function("tcp_sendmsg") { println(@var("copied")) }',
      'probe kernel.function("entry_SYSCALL_64") { println($regs) }',
      'probe kernel.function("tcp_*") { println($nosuch) }',
      'probe kernel.function("tcp_sendmsg"), timer.s(1) { println($nosuch) }',
      'probe kprobe.function("tcp_sendmsg") { println($nosuch) }',
      'probe kernel.function("tcp_sendmsg").label("out") { println($nosuch) }',
      'probe kernel.trace("nosuch") { println($nosuch) }',
      'function f() { return $nosuch }',
      '%( kernel_v < "2.6" %? probe kernel.function("tcp_sendmsg") { println($nosuch) } %)',
    ]) {
      assert.deepEqual(findings(text + '\n'), [], text);
    }
  });
});

describe('target-member-unknown', () => {
  test('$p->state where task_struct has __state: did you mean, and @choose_defined as a second fix', () => {
    const text = 'probe kernel.function("wake_up_new_task") { println($p->state) }\n';
    assert.deepEqual(findings(text), [['target-member-unknown', 'state', '__state']]);
    const f = analyze(text, { kernel }).findings[0];
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /'struct task_struct' has no member 'state' in this kernel's BTF \(did you mean '__state'\?\); for kernels that differ, @choose_defined\(\$p->__state, \$p->state\)/);
    assert.equal(applyFix(text, 'target-member-unknown', /^Change to __state$/), 'probe kernel.function("wake_up_new_task") { println($p->__state) }\n');
    assert.equal(applyFix(text, 'target-member-unknown', /@choose_defined/), 'probe kernel.function("wake_up_new_task") { println(@choose_defined($p->__state, $p->state)) }\n');
  });

  test('down a chain, through pointers, anonymous unions, arrays and embedded structs', () => {
    const text = [
      'probe kernel.function("ip_output") {',
      '  println($skb->next->len, $skb->dev->name[0], $skb->dev->stats->rx_packets, $skb->cb[1], $skb->sk->__sk_common->skc_state)',
      '  println($skb->lenn, $skb->dev->nme, $skb->next->prev->dev->stats->rx_packetz)',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(findings(text), [
      ['target-member-unknown', 'lenn', 'len'],
      ['target-member-unknown', 'nme', 'name'],
      ['target-member-unknown', 'rx_packetz', 'rx_packets'],
    ]);
  });

  test("sock's sk_state is a macro of C: in a script it is reached through __sk_common", () => {
    assert.deepEqual(findings('probe kernel.function("tcp_sendmsg") { println($sk->sk_state) }\n'), [['target-member-unknown', 'sk_state', '__sk_common->skc_state']]);
  });

  test('@cast, with a struct name, "struct x", "kernel", "kernel<header>" or a module; @entry', () => {
    const text = [
      'function f(p) {',
      '  println(@cast(p, "sk_buff")->lenn, @cast(p, "struct sk_buff", "kernel")->dev->nme)',
      '  println(@cast(p, "task_struct", "kernel<linux/sched.h>")->state, @cast(p, "fixmod_state", "fixmod")->cont)',
      '}',
      'probe kernel.function("ip_output").return { println(@entry($skb)->lenn) }',
      '',
    ].join('\n');
    assert.deepEqual(findings(text), [
      ['target-member-unknown', 'lenn', 'len'],
      ['target-member-unknown', 'nme', 'name'],
      ['target-member-unknown', 'state', '__state'],
      ['target-member-unknown', 'cont', 'count'],
      ['target-member-unknown', 'lenn', 'len'],
    ]);
  });

  test('quiet inside @defined and @choose_defined, and in the branch an @defined test guards', () => {
    for (const body of [
      'println(@defined($p->state) ? $p->state : 0)',
      'println(@choose_defined($p->__state, $p->state))',
      'if (@defined($p->state)) println($p->state)',
      'if (@defined($p->state)) println($p->state) else println($p->__state)',
      'if (@defined($p->__state)) println($p->__state) else println($p->state)',
      'if (!@defined($p->__state)) println($p->state) else println($p->__state)',
      'if ((@defined($p->state))) println($p->state)',
      'if (@defined($p->state) && @defined($p->foo)) println($p->state + $p->foo) else println($p->bar)',
      'x = @defined($p->__state) ? $p->__state : $p->state',
    ]) {
      assert.deepEqual(findings(`probe kernel.function("wake_up_new_task") { ${body} }\n`), [], body);
    }
  });

  test('the other branch of an @defined test runs where the tested member is missing: it is checked then', () => {
    assert.deepEqual(findings('probe kernel.function("wake_up_new_task") { if (@defined($p->state)) println($p->state) else println($p->__sttae) }\n'), [
      ['target-member-unknown', '__sttae', '__state'],
    ]);
    assert.deepEqual(findings('probe kernel.function("wake_up_new_task") { if (!@defined($p->nosuch)) println($p->nosuch2) }\n'), [['target-member-unknown', 'nosuch2', undefined]]);
  });

  test('quiet: untaken %( %) branches, opaque and non-struct types, unknown @cast types and modules, macro bodies', () => {
    for (const text of [
      'probe kernel.function("wake_up_new_task") { %( kernel_v < "5.14" %? println($p->state) %: println($p->__state) %) }',
      'probe kernel.function("tcp_sendmsg") { println($msg->msg_flags, $size->x) }',
      'function f(p) { println(@cast(p, "nosuch")->x, @cast(p, "sk_buff", "nomod")->x, @cast(p, "struct sk_buff *")->x) }',
      '@define STATE(t) %( @t->state %)\nprobe kernel.function("wake_up_new_task") { println(@STATE($p)) }',
      'probe kernel.function("wake_up_new_task") { println($p->pid$, $p->comm$$) }',
    ]) {
      assert.deepEqual(findings(text + '\n'), [], text);
    }
  });

  test('an anonymous struct is named by the chain that reaches it', () => {
    const text = 'function f(p) { println(@cast(p, "sk_buff")->next->nosuch) }\n';
    const f = analyze(text, { kernel }).findings.find((x) => x.code === 'target-member-unknown')!;
    assert.match(f.message, /'struct sk_buff' has no member 'nosuch'/, 'next is a member of sk_buff, through its anonymous union');
  });
});

describe('c-member-unknown', () => {
  test('a member the declared struct lacks, with the nearest name and its fix', () => {
    const text = '%{\nstatic int f(struct sk_buff *skb) { return skb->lenn; }\n%}\n';
    assert.deepEqual(findings(text), [['c-member-unknown', 'lenn', 'len']]);
    assert.equal(applyFix(text, 'c-member-unknown', /Change to len/), '%{\nstatic int f(struct sk_buff *skb) { return skb->len; }\n%}\n');
  });

  test('locals, parameters, casts, current, chains with . and [i]', () => {
    const text = [
      'function f:long (sk:long) %{',
      '  struct net_device *dev = NULL;',
      '  STAP_RETVALUE = ((struct sock *)STAP_ARG_sk)->sk_rcvbf + dev->stats.rx_packetz + dev->name[0] + current->pidd + current->se.on_rqq;',
      '%}',
      '',
    ].join('\n');
    assert.deepEqual(findings(text), [
      ['c-member-unknown', 'sk_rcvbf', 'sk_rcvbuf'],
      ['c-member-unknown', 'rx_packetz', 'rx_packets'],
      ['c-member-unknown', 'pidd', 'pid'],
      ['c-member-unknown', 'on_rqq', 'on_rq'],
    ]);
  });

  test("quiet: the kernel's member macros, the C's own structs, #if arms, names of two types, unknown structs", () => {
    for (const code of [
      'static int a(struct sock *sk) { return sk->sk_state; }',
      'struct sk_buff { int lenn; }; static int b(struct sk_buff *skb) { return skb->lenn; }',
      'typedef struct { int x; } mine_t; static int c(mine_t *m) { return m->x; }',
      'static int d(struct task_struct *p) {\n#if LINUX_VERSION_CODE < KERNEL_VERSION(5,14,0)\n return p->state;\n#else\n return p->__state;\n#endif\n}',
      'static int e(void) { { struct sock *x = 0; (void)x; } { struct sk_buff *x = 0; return x->len; } }',
      'static int g(struct nosuch *n) { return n->x; }',
      'static int h(struct sk_buff **pp) { return (*pp)->lenn; }',
    ]) {
      assert.deepEqual(findings(`%{\n${code}\n%}\n`), [], code);
    }
  });
});
