// A small kernel's BTF, made by the tests: the shapes the kernel checks meet
// in a real kernel (task_struct with `__state` and no `state`, sock with its
// members in an embedded sock_common, sk_buff with anonymous unions and
// bitfields, function pointers, type tags, a tracepoint with its
// `btf_trace_` typedef and `__bpf_trace_` class function), and one module's
// split BTF over it. Small enough to read in a test; real enough to matter.

import * as fs from 'fs';
import * as path from 'path';
import { BtfWriter } from './btfWriter';
import { tempFolder } from './tempFiles';

export interface KernelFixture {
  vmlinux: Buffer;
  /** The module `fixmod`, split over vmlinux. */
  module: Buffer;
  /** Type ids the tests look at. */
  ids: Record<string, number>;
}

export function kernelFixture(): KernelFixture {
  const b = new BtfWriter();
  const ids: Record<string, number> = {};
  const int = (ids.int = b.int('int', 4, { signed: true }));
  const uint = (ids.uint = b.int('unsigned int', 4));
  const char = (ids.char = b.int('char', 1, { signed: true, char: true }));
  const ulong = b.int('long unsigned int', 8);
  const bool = b.int('_Bool', 1, { bool: true });
  const u8 = b.int('unsigned char', 1);
  const sizeT = b.typedef('size_t', ulong);
  const boolT = b.typedef('bool', bool);
  const voidPtr = b.ptr(0);
  const charPtr = b.ptr(char);
  const constChar = b.const(char);
  const constCharPtr = (ids.constCharPtr = b.ptr(constChar));
  const userChar = b.typeTag('__user', char);
  const userCharPtr = (ids.userCharPtr = b.ptr(userChar));
  const comm = b.array(char, 16, int);
  const cb = b.array(char, 48, int);
  const constPtrToChar = (ids.constPtrToChar = b.const(charPtr));
  const volatileInt = b.volatile(int);
  const restrictCharPtr = b.restrict(charPtr);

  // struct sched_entity { unsigned long vruntime; int on_rq; }
  const schedEntity = b.struct('sched_entity', 16, [
    { name: 'vruntime', type: ulong, bitOffset: 0 },
    { name: 'on_rq', type: int, bitOffset: 64 },
  ]);
  // struct task_struct: __state (renamed from state), an anonymous union, an embedded struct, a pointer to itself
  const task = (ids.task = b.reserve());
  const taskPtr = (ids.taskPtr = b.ptr(task));
  const anonUnion = b.union('', 8, [
    { name: 'flags_a', type: uint, bitOffset: 0 },
    { name: 'flags_b', type: ulong, bitOffset: 0 },
  ]);
  b.struct(
    'task_struct',
    96,
    [
      { name: '__state', type: uint, bitOffset: 0 },
      { name: 'pid', type: int, bitOffset: 32 },
      { name: 'comm', type: comm, bitOffset: 64 },
      { name: '', type: anonUnion, bitOffset: 192 },
      { name: 'se', type: schedEntity, bitOffset: 256 },
      { name: 'parent', type: taskPtr, bitOffset: 384 },
      { name: 'prio', type: volatileInt, bitOffset: 448 },
    ],
    { id: task },
  );
  // struct sock_common / struct sock: `sk_state` is a macro for __sk_common.skc_state
  const sockCommon = b.struct('sock_common', 8, [
    { name: 'skc_state', type: u8, bitOffset: 0 },
    { name: 'skc_family', type: int, bitOffset: 32 },
  ]);
  const sock = (ids.sock = b.struct('sock', 32, [
    { name: '__sk_common', type: sockCommon, bitOffset: 0 },
    { name: 'sk_rcvbuf', type: int, bitOffset: 64 },
    { name: 'sk_stamp', type: ulong, bitOffset: 128 },
  ]));
  const sockPtr = b.ptr(sock);
  // struct net_device, and its stats
  const stats = b.struct('net_device_stats', 16, [
    { name: 'rx_packets', type: ulong, bitOffset: 0 },
    { name: 'tx_packets', type: ulong, bitOffset: 64 },
  ]);
  const netdev = (ids.netdev = b.struct('net_device', 48, [
    { name: 'name', type: comm, bitOffset: 0 },
    { name: 'flags', type: uint, bitOffset: 128 },
    { name: 'stats', type: stats, bitOffset: 192 },
  ]));
  const netdevPtr = b.ptr(netdev);
  // struct sk_buff: a self pointer, an anonymous struct inside an anonymous union, bitfields, a function pointer
  const skb = (ids.skb = b.reserve());
  const skbPtr = (ids.skbPtr = b.ptr(skb));
  const anonStruct = b.struct('', 16, [
    { name: 'next', type: skbPtr, bitOffset: 0 },
    { name: 'prev', type: skbPtr, bitOffset: 64 },
  ]);
  const anonSkbUnion = b.union('', 16, [
    { name: '', type: anonStruct, bitOffset: 0 },
    { name: 'list', type: ulong, bitOffset: 0 },
  ]);
  const destructorProto = b.funcProto(0, [
    ['', skbPtr],
    ['', int],
  ]);
  const destructorPtr = (ids.destructorPtr = b.ptr(destructorProto));
  b.struct(
    'sk_buff',
    104,
    [
      { name: '', type: anonSkbUnion, bitOffset: 0 },
      { name: 'dev', type: netdevPtr, bitOffset: 128 },
      { name: 'sk', type: sockPtr, bitOffset: 192 },
      { name: 'cb', type: cb, bitOffset: 256 },
      { name: 'len', type: uint, bitOffset: 640 },
      { name: 'cloned', type: u8, bitOffset: 672, bitfieldSize: 1 },
      { name: 'nohdr', type: u8, bitOffset: 673, bitfieldSize: 1 },
      { name: 'destructor', type: destructorPtr, bitOffset: 704 },
      { name: 'data', type: b.ptr(u8), bitOffset: 768 },
    ],
    { id: skb },
  );
  b.typedef('sk_buff_t', skb);
  // Only declared: opaque types.
  const msghdrPtr = b.ptr(b.fwd('msghdr'));
  const netPtr = b.ptr(b.fwd('net'));

  // Functions
  b.function('tcp_sendmsg', int, [
    ['sk', sockPtr],
    ['msg', msghdrPtr],
    ['size', sizeT],
  ]);
  b.function('ip_output', int, [
    ['net', netPtr],
    ['sk', sockPtr],
    ['skb', skbPtr],
  ]);
  b.function('wake_up_new_task', 0, [['p', taskPtr]]);
  b.function('_printk', int, [['fmt', constCharPtr]], true);
  b.function('vfs_read', int, [
    ['file', voidPtr],
    ['buf', userCharPtr],
    ['count', sizeT],
  ]);
  b.function('alloc_skb', skbPtr, [['size', uint]]);
  b.function('do_nothing', 0, []);
  // The same function twice (two static functions of one name): the first is taken.
  b.function('dup_fn', int, [['first', int]]);
  b.function('dup_fn', int, [['second', int]]);

  // Tracepoint sched_switch: the typedef's prototype has no names; __bpf_trace_sched_switch has them.
  const traceProto = b.funcProto(0, [
    ['', voidPtr],
    ['', boolT],
    ['', taskPtr],
    ['', taskPtr],
  ]);
  b.typedef('btf_trace_sched_switch', b.ptr(traceProto));
  b.function('__bpf_trace_sched_switch', 0, [
    ['__data', voidPtr],
    ['preempt', boolT],
    ['prev', taskPtr],
    ['next', taskPtr],
  ]);
  // Tracepoint kfree_skb, of the event class `skb`: named through the class with the same types.
  const skbTraceProto = b.funcProto(0, [
    ['', voidPtr],
    ['', skbPtr],
  ]);
  b.typedef('btf_trace_kfree_skb', b.ptr(skbTraceProto));
  b.typedef('btf_trace_consume_skb', b.ptr(skbTraceProto));
  b.function('__bpf_trace_skb', 0, [
    ['__data', voidPtr],
    ['skb', skbPtr],
  ]);

  // The other kinds, for the reader.
  ids.enum = b.enum('pid_type', [
    ['PIDTYPE_PID', 0],
    ['PIDTYPE_MAX', -1],
  ]);
  ids.enum64 = b.enum64('big_flags', [['BIG', 1n << 40n]]);
  ids.float = b.float('double', 8);
  const jiffies = (ids.var = b.var('jiffies', ulong));
  ids.datasec = b.datasec('.data', 8, [[jiffies, 0, 8]]);
  ids.declTag = b.declTag('user', task, 1);
  ids.restrict = restrictCharPtr;
  ids.constPtrToChar = constPtrToChar;
  const vmlinux = b.build();

  // Module fixmod: its own function and struct, using the kernel's sk_buff.
  const m = new BtfWriter({ typeCount: b.typeCount, stringsLength: b.stringsLength });
  const fixStruct = (ids.fixmodStruct = m.struct('fixmod_state', 8, [
    { name: 'count', type: int, bitOffset: 0 },
    { name: 'last', type: skbPtr, bitOffset: 32 },
  ]));
  m.function('fixmod_rx', int, [
    ['st', m.ptr(fixStruct)],
    ['skb', skbPtr],
  ]);
  return { vmlinux, module: m.build(), ids };
}

/** The running-kernel layout in a temporary folder: btf/vmlinux, btf/fixmod, kallsyms. */
export function kernelFixtureFolder(kallsyms = DEFAULT_KALLSYMS): { dir: string; sysBtfDir: string; kallsyms: string } {
  const fixture = kernelFixture();
  const dir = tempFolder('stap-kernel-', { kallsyms });
  fs.mkdirSync(path.join(dir, 'btf'));
  fs.writeFileSync(path.join(dir, 'btf', 'vmlinux'), fixture.vmlinux);
  fs.writeFileSync(path.join(dir, 'btf', 'fixmod'), fixture.module);
  return { dir, sysBtfDir: path.join(dir, 'btf'), kallsyms: path.join(dir, 'kallsyms') };
}

/** Text symbols BTF lacks (an assembler function, a clone), data, padding and a module's. */
export const DEFAULT_KALLSYMS = [
  '0000000000000000 T _stext',
  '0000000000000000 T tcp_sendmsg',
  '0000000000000000 t entry_SYSCALL_64',
  '0000000000000000 t calibrate_delay.cold',
  '0000000000000000 t __pfx_tcp_sendmsg',
  '0000000000000000 D jiffies',
  '0000000000000000 t fixmod_rx\t[fixmod]',
  '0000000000000000 t fixmod_timer\t[fixmod]',
  '0000000000000000 t other_fn\t[othermod]',
  '',
].join('\n');
