// The kernel query API and where its data comes from, on the test-made
// fixture kernel: function prototypes, members through pointers, typedefs and
// anonymous members, tracepoint arguments, modules, prefix search; and the
// loader's choice of sources (a file from the settings, the running kernel's
// BTF and kallsyms, or nothing for another kernel).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Btf } from '../../server/src/kernel/btf';
import { KernelTypes } from '../../server/src/kernel/kernelTypes';
import { KernelSources, loadKernel } from '../../server/src/kernel/loadKernel';
import { BtfWriter, symbolSections, writeElf } from '../support/btfWriter';
import { kernelFixture, kernelFixtureFolder } from '../support/kernelFixture';
import { tempFolder } from '../support/tempFiles';

const fixture = kernelFixture();
const vmlinux = new Btf(fixture.vmlinux);
const kernel = new KernelTypes(vmlinux, { source: 'fixture', symbols: ['entry_SYSCALL_64', 'tcp_sendmsg'], loadModule: (name) => (name === 'fixmod' ? new Btf(fixture.module, vmlinux) : undefined) });
const names = (xs: { name: string }[] | undefined) => xs?.map((x) => x.name);

describe('kernel types', () => {
  test('a function prototype, with parameter names and C types', () => {
    const fn = kernel.function('tcp_sendmsg')!;
    assert.equal(fn.prototype, 'int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)');
    assert.equal(fn.returnType, 'int');
    assert.deepEqual(
      fn.params.map((p) => [p.name, p.type]),
      [
        ['sk', 'struct sock *'],
        ['msg', 'struct msghdr *'],
        ['size', 'size_t'],
      ],
    );
    assert.equal(kernel.function('_printk')!.prototype, 'int _printk(const char *fmt, ...)');
    assert.equal(kernel.function('do_nothing')!.prototype, 'void do_nothing(void)');
    assert.equal(kernel.function('alloc_skb')!.prototype, 'struct sk_buff *alloc_skb(unsigned int size)');
    assert.deepEqual(names(kernel.function('dup_fn')!.params), ['first'], 'the first of two functions of one name');
    assert.equal(kernel.function('entry_SYSCALL_64'), undefined, 'a symbol without BTF has no prototype');
    assert.equal(kernel.function('nosuch'), undefined);
  });

  test('functions are known from BTF and from the symbol table; prefix search merges both', () => {
    assert.ok(kernel.hasFunction('ip_output'));
    assert.ok(kernel.hasFunction('entry_SYSCALL_64'));
    assert.ok(!kernel.hasFunction('nosuch'));
    assert.deepEqual(kernel.functionsWithPrefix('e', 10), ['entry_SYSCALL_64']);
    assert.deepEqual(kernel.functionsWithPrefix('tcp_', 10), ['tcp_sendmsg']);
    assert.deepEqual(kernel.functionsWithPrefix('', 3), ['__bpf_trace_sched_switch', '__bpf_trace_skb', '_printk']);
    assert.deepEqual(kernel.counts, { types: vmlinux.ownTypeCount, functions: 10, symbolsOnly: 1 });
  });

  test('members through a pointer, with anonymous structs and unions flattened, offsets and bitfields', () => {
    const skb = kernel.function('ip_output')!.params[2].ref;
    const members = kernel.members(skb)!;
    assert.deepEqual(names(members), ['next', 'prev', 'list', 'dev', 'sk', 'cb', 'len', 'cloned', 'nohdr', 'destructor', 'data']);
    const byName = new Map(members.map((m) => [m.name, m]));
    assert.deepEqual(
      ['prev', 'dev', 'cb', 'len', 'nohdr', 'destructor'].map((n) => {
        const m = byName.get(n)!;
        return [n, m.type, m.bitOffset, m.byteOffset, m.bitfieldSize];
      }),
      [
        ['prev', 'struct sk_buff *', 64, 8, undefined],
        ['dev', 'struct net_device *', 128, 16, undefined],
        ['cb', 'char [48]', 256, 32, undefined],
        ['len', 'unsigned int', 640, 80, undefined],
        ['nohdr', 'unsigned char', 673, 84, 1],
        ['destructor', 'void (*)(struct sk_buff *, int)', 704, 88, undefined],
      ],
    );
    // On down the chain: skb->dev->stats.rx_packets
    const dev = kernel.member(skb, 'dev')!.ref;
    const stats = kernel.member(dev, 'stats')!.ref;
    assert.deepEqual(names(kernel.members(stats)), ['rx_packets', 'tx_packets']);
    assert.equal(kernel.aggregateOf(dev)?.text, 'struct net_device');
  });

  test('structs by name, as @cast names them; typedefs, forward declarations and non-structs', () => {
    assert.equal(kernel.aggregate('sk_buff')?.text, 'struct sk_buff');
    assert.equal(kernel.aggregate('struct sk_buff')?.size, 104);
    assert.equal(kernel.aggregate('sk_buff_t')?.text, 'struct sk_buff', 'a typedef of a struct');
    assert.equal(kernel.aggregate('union sk_buff'), undefined);
    assert.equal(kernel.aggregate('nosuch'), undefined);
    assert.equal(kernel.aggregate('struct sk_buff *'), undefined);
    assert.equal(kernel.aggregate('size_t'), undefined, 'a typedef of an int');
    const task = kernel.typeNamed('task_struct')!;
    assert.deepEqual(names(kernel.members(task)), ['__state', 'pid', 'comm', 'flags_a', 'flags_b', 'se', 'parent', 'prio']);
    assert.equal(kernel.member(task, 'prio')!.type, 'volatile int');
    // A pointer to an only-declared struct has no members; a pointer to a pointer is not followed.
    assert.equal(kernel.members(kernel.function('tcp_sendmsg')!.params[1].ref), undefined);
    assert.equal(kernel.members(kernel.member(task, 'pid')!.ref), undefined);
  });

  test('struct and typedef names by prefix, as completion after `struct ` asks; a module adds its own', () => {
    assert.deepEqual(kernel.typesWithPrefix('struct', 'sk', 10), ['sk_buff']);
    assert.deepEqual(kernel.typesWithPrefix('struct', 's', 3), ['sched_entity', 'sk_buff', 'sock']);
    assert.deepEqual(kernel.typesWithPrefix('typedef', 'b', 10), ['bool', 'btf_trace_consume_skb', 'btf_trace_kfree_skb', 'btf_trace_sched_switch']);
    assert.deepEqual(kernel.moduleTypes('fixmod')!.typesWithPrefix('struct', 'f', 10), ['fixmod_state']);
  });

  test('[i] on arrays and pointers', () => {
    const task = kernel.typeNamed('task_struct')!;
    const comm = kernel.member(task, 'comm')!.ref;
    assert.equal(kernel.typeText(kernel.elementOf(comm)!), 'char');
    const parent = kernel.member(task, 'parent')!.ref;
    assert.equal(kernel.typeText(kernel.elementOf(parent)!), 'struct task_struct');
    assert.equal(kernel.elementOf(kernel.member(task, 'pid')!.ref), undefined);
  });

  test('tracepoints: names from btf_trace_ typedefs, arguments named by the event class function', () => {
    assert.deepEqual(kernel.tracepointsWithPrefix('', 10), ['consume_skb', 'kfree_skb', 'sched_switch']);
    assert.deepEqual(kernel.tracepointsWithPrefix('sched', 10), ['sched_switch']);
    assert.ok(kernel.hasTracepoint('kfree_skb'));
    assert.ok(!kernel.hasTracepoint('nosuch'));
    const tp = kernel.tracepoint('sched_switch')!;
    assert.deepEqual(
      tp.args.map((a) => [a.name, a.type]),
      [
        ['preempt', 'bool'],
        ['prev', 'struct task_struct *'],
        ['next', 'struct task_struct *'],
      ],
    );
    assert.deepEqual(
      kernel.tracepoint('kfree_skb')!.args.map((a) => [a.name, a.type]),
      [['skb', 'struct sk_buff *']],
    );
    assert.equal(kernel.tracepoint('nosuch'), undefined);
  });

  test("a module's functions and types, over the kernel's", () => {
    const mod = kernel.moduleTypes('fixmod')!;
    assert.ok(mod.hasFunction('fixmod_rx'));
    assert.ok(!mod.hasFunction('tcp_sendmsg'), "the kernel's functions are not the module's");
    const fn = mod.function('fixmod_rx')!;
    assert.equal(fn.prototype, 'int fixmod_rx(struct fixmod_state *st, struct sk_buff *skb)');
    assert.deepEqual(names(mod.members(fn.params[0].ref)), ['count', 'last']);
    assert.deepEqual(names(mod.members(fn.params[1].ref))?.slice(0, 3), ['next', 'prev', 'list'], 'a base type');
    assert.equal(mod.aggregate('sk_buff')?.text, 'struct sk_buff', "the kernel's types by name");
    assert.equal(kernel.moduleTypes('fixmod'), mod, 'loaded once');
    assert.equal(kernel.moduleTypes('nomod'), undefined);
    assert.equal(kernel.moduleTypes('../../etc/passwd'), undefined, 'a name, never a path');
  });
});

describe('the name index', () => {
  test('thousands of names, duplicates, and names beyond ASCII are found by name', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4);
    const proto = w.funcProto(int, []);
    for (let i = 0; i < 3000; i++) w.func(`fn_${i}`, proto);
    const second = w.func('fn_7', w.funcProto(0, []));
    const odd = w.func('größe', proto);
    const types = new KernelTypes(new Btf(w.build()), { source: 'names' });
    for (let i = 0; i < 3000; i++) assert.ok(types.hasFunction(`fn_${i}`), `fn_${i}`);
    assert.ok(!types.hasFunction('fn_3000') && !types.hasFunction('fn_') && !types.hasFunction('fn_70000'));
    assert.equal(types.counts.functions, 3001);
    assert.equal(types.function('fn_7')!.returnType, 'int', 'the first of a name');
    assert.notEqual(second, 0);
    assert.ok(types.hasFunction('größe') && odd > 0);
    assert.equal(types.functionsWithPrefix('fn_299', 5).join(), 'fn_299,fn_2990,fn_2991,fn_2992,fn_2993');
  });
});

describe('loading the kernel data', () => {
  const sources = (over: Partial<KernelSources> = {}): KernelSources => {
    const f = kernelFixtureFolder();
    return { sysBtfDir: f.sysBtfDir, kallsyms: f.kallsyms, runningRelease: '6.18.0-test', ...over };
  };

  test('the running kernel: its BTF, then its symbol table; modules from beside the BTF', async () => {
    const loaded = await loadKernel({ kernelTypes: '', kernelRelease: '6.18.0-test' }, sources());
    assert.equal(loaded.state, 'loaded');
    if (loaded.state !== 'loaded') return;
    assert.match(loaded.message, /btf\/vmlinux: \d+ types, 10 functions in \d+ ms/);
    const types = loaded.types;
    assert.ok(types.symbolsPending || types.hasFunction('entry_SYSCALL_64'));
    assert.equal(await loaded.symbols, undefined);
    assert.ok(!types.symbolsPending);
    assert.ok(types.hasFunction('entry_SYSCALL_64'));
    assert.ok(types.hasFunction('calibrate_delay'), 'a clone stands for its function');
    assert.ok(!types.hasFunction('__pfx_tcp_sendmsg'));
    assert.ok(!types.hasFunction('jiffies'), 'data is no function');
    assert.ok(types.moduleTypes('fixmod')!.hasFunction('fixmod_timer'), "the module's symbols");
    assert.deepEqual(types.moduleFunctionSymbols('othermod'), ['other_fn']);
  });

  test('another kernel, without a file for it: no data, and a message that says what to set', async () => {
    const loaded = await loadKernel({ kernelTypes: '', kernelRelease: '5.4.0-old' }, sources());
    assert.equal(loaded.state, 'none');
    assert.match(loaded.message, /no type data for kernel 5\.4\.0-old \(this machine runs 6\.18\.0-test\).*systemtap\.kernelTypes/);
  });

  test("'none' turns the checks off", async () => {
    assert.equal((await loadKernel({ kernelTypes: 'none', kernelRelease: '6.18.0-test' }, sources())).state, 'none');
  });

  test('a raw BTF file, or a vmlinux ELF with its symbol table, for another kernel', async () => {
    const dir = tempFolder('stap-kernel-file-');
    const raw = path.join(dir, 'vmlinux.btf');
    fs.writeFileSync(raw, fixture.vmlinux);
    const elf = path.join(dir, 'vmlinux');
    fs.writeFileSync(elf, writeElf([{ name: '.text', type: 1, data: Buffer.alloc(16) }, { name: '.BTF', type: 1, data: fixture.vmlinux }, ...symbolSections([['asm_only_fn', 2]], 4)]));
    const fromRaw = await loadKernel({ kernelTypes: raw, kernelRelease: '5.4.0-old' }, sources());
    assert.equal(fromRaw.state, 'loaded');
    if (fromRaw.state === 'loaded') {
      assert.ok(fromRaw.types.hasFunction('ip_output'));
      assert.ok(!fromRaw.types.hasFunction('entry_SYSCALL_64'), "not the running kernel's kallsyms");
      assert.equal(fromRaw.types.moduleTypes('fixmod'), undefined, 'nor its modules, which are split over another BTF');
    }
    const fromElf = await loadKernel({ kernelTypes: elf, kernelRelease: '5.4.0-old' }, sources());
    assert.equal(fromElf.state, 'loaded');
    if (fromElf.state === 'loaded') {
      assert.ok(fromElf.types.hasFunction('asm_only_fn'), 'the ELF symbol table');
      assert.match(fromElf.message, /1 function symbols/);
      assert.ok(!fromElf.types.symbolsPending);
    }
  });

  test('a file that cannot be used fails with a reason; a kernel without BTF still has its symbol names', async () => {
    const dir = tempFolder('stap-kernel-bad-');
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'this is not BTF, this is only text');
    const noBtf = path.join(dir, 'nobtf');
    fs.writeFileSync(noBtf, writeElf([{ name: '.text', type: 1, data: Buffer.alloc(16) }]));
    for (const [file, reason] of [
      [bad, /not BTF/],
      [noBtf, /without a \.BTF section/],
      [path.join(dir, 'missing'), /no such file/],
      [dir, /not a regular file/],
    ] as const) {
      const loaded = await loadKernel({ kernelTypes: file, kernelRelease: '6.18.0-test' }, sources());
      assert.equal(loaded.state, 'failed', file);
      assert.match(loaded.message, reason);
    }
    const withoutBtf = await loadKernel({ kernelTypes: '', kernelRelease: '6.18.0-test' }, sources({ sysBtfDir: path.join(dir, 'nosuch') }));
    assert.equal(withoutBtf.state, 'loaded');
    if (withoutBtf.state === 'loaded') {
      await withoutBtf.symbols;
      assert.ok(withoutBtf.types.hasFunction('entry_SYSCALL_64'));
      assert.equal(withoutBtf.types.function('tcp_sendmsg'), undefined);
    }
    const nothing = await loadKernel({ kernelTypes: '', kernelRelease: '6.18.0-test' }, sources({ sysBtfDir: path.join(dir, 'nosuch'), kallsyms: path.join(dir, 'nosuch') }));
    assert.equal(nothing.state, 'none');
  });
});
