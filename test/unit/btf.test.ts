// The BTF reader, on BTF the tests write: every kind, both byte orders, split
// BTF, a newer header, and malformed data, which must be refused with a
// BtfError and never read out of bounds. Also C type text, the ELF reader,
// kallsyms and the sorted name set.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Btf, BtfError, BtfKind } from '../../server/src/kernel/btf';
import { typeText } from '../../server/src/kernel/cType';
import { bytesAccess, ElfError, readElf, readFunctionSymbols, readSection } from '../../server/src/kernel/elf';
import { functionNameOf, parseKallsyms, parseKallsymsInSteps } from '../../server/src/kernel/kallsyms';
import { mergePrefixed, SortedNames } from '../../server/src/kernel/sortedNames';
import { BtfWriter, symbolSections, writeElf } from '../support/btfWriter';
import { DEFAULT_KALLSYMS, kernelFixture } from '../support/kernelFixture';

const json = (x: unknown) => JSON.parse(JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));

describe('BTF reader', () => {
  test('every kind decodes as written', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4, { signed: true });
    const bits = w.int('u3', 1, { bits: 3, offset: 2 });
    const ptr = w.ptr(int);
    const arr = w.array(int, 5, int);
    const st = w.struct('s', 8, [
      { name: 'a', type: int, bitOffset: 0 },
      { name: 'b', type: int, bitOffset: 32, bitfieldSize: 3 },
    ]);
    const un = w.union('u', 4, [{ name: 'x', type: int, bitOffset: 0 }]);
    const en = w.enum('e', [
      ['A', 1],
      ['M', -1],
    ]);
    const enSigned = w.enum('es', [['N', -2]], true);
    const en64 = w.enum64('e64', [['BIG', 1n << 40n]]);
    const en64Signed = w.enum64('e64s', [['NEG', -5n]], true);
    const fwd = w.fwd('opaque', true);
    const td = w.typedef('myint', int);
    const vol = w.volatile(int);
    const cst = w.const(int);
    const rst = w.restrict(ptr);
    const proto = w.funcProto(int, [['x', int]], true);
    const func = w.func('f', proto, 2);
    const v = w.var('g', int, 1);
    const ds = w.datasec('.data', 4, [[v, 0, 4]]);
    const fl = w.float('double', 8);
    const dt = w.declTag('tag', st, 1);
    const tt = w.typeTag('__user', int);
    const btf = new Btf(w.build());
    assert.equal(btf.typeCount, tt + 1);
    assert.deepEqual(json(btf.type(0)), { id: 0, kind: 'void' });
    assert.deepEqual(json(btf.type(int)), { id: int, kind: 'int', name: 'int', size: 4, signed: true, char: false, bool: false, bits: 32, bitOffset: 0 });
    assert.deepEqual(json(btf.type(bits)), { id: bits, kind: 'int', name: 'u3', size: 1, signed: false, char: false, bool: false, bits: 3, bitOffset: 2 });
    assert.deepEqual(btf.type(ptr), { id: ptr, kind: 'ptr', type: int });
    assert.deepEqual(btf.type(arr), { id: arr, kind: 'array', type: int, indexType: int, nelems: 5 });
    assert.deepEqual(btf.type(st), {
      id: st,
      kind: 'struct',
      name: 's',
      size: 8,
      members: [
        { name: 'a', type: int, bitOffset: 0 },
        { name: 'b', type: int, bitOffset: 32, bitfieldSize: 3 },
      ],
    });
    assert.deepEqual(btf.type(un), { id: un, kind: 'union', name: 'u', size: 4, members: [{ name: 'x', type: int, bitOffset: 0 }] });
    assert.deepEqual(json(btf.type(en)), {
      id: en,
      kind: 'enum',
      name: 'e',
      size: 4,
      signed: false,
      values: [
        { name: 'A', value: '1n' },
        { name: 'M', value: '4294967295n' },
      ],
    });
    assert.deepEqual(json(btf.type(enSigned)), { id: enSigned, kind: 'enum', name: 'es', size: 4, signed: true, values: [{ name: 'N', value: '-2n' }] });
    assert.deepEqual(json(btf.type(en64)), { id: en64, kind: 'enum64', name: 'e64', size: 8, signed: false, values: [{ name: 'BIG', value: `${1n << 40n}n` }] });
    assert.deepEqual(json(btf.type(en64Signed)), { id: en64Signed, kind: 'enum64', name: 'e64s', size: 8, signed: true, values: [{ name: 'NEG', value: '-5n' }] });
    assert.deepEqual(btf.type(fwd), { id: fwd, kind: 'fwd', name: 'opaque', union: true });
    assert.deepEqual(btf.type(td), { id: td, kind: 'typedef', name: 'myint', type: int });
    assert.deepEqual(btf.type(vol), { id: vol, kind: 'volatile', type: int });
    assert.deepEqual(btf.type(cst), { id: cst, kind: 'const', type: int });
    assert.deepEqual(btf.type(rst), { id: rst, kind: 'restrict', type: ptr });
    assert.deepEqual(btf.type(proto), { id: proto, kind: 'funcProto', returnType: int, params: [{ name: 'x', type: int }], variadic: true });
    assert.deepEqual(btf.type(func), { id: func, kind: 'func', name: 'f', type: proto, linkage: 2 });
    assert.deepEqual(btf.type(v), { id: v, kind: 'var', name: 'g', type: int, linkage: 1 });
    assert.deepEqual(btf.type(ds), { id: ds, kind: 'datasec', name: '.data', size: 4, vars: [{ type: v, offset: 0, size: 4 }] });
    assert.deepEqual(btf.type(fl), { id: fl, kind: 'float', name: 'double', size: 8 });
    assert.deepEqual(btf.type(dt), { id: dt, kind: 'declTag', name: 'tag', type: st, componentIndex: 1 });
    assert.deepEqual(btf.type(tt), { id: tt, kind: 'typeTag', name: '__user', type: int });
    assert.equal(btf.type(tt + 1), undefined);
    assert.equal(btf.kindOf(func), BtfKind.func);
    assert.equal(btf.nameOf(func), 'f');
    assert.equal(btf.referencedType(func), proto);
  });

  test('big-endian BTF reads the same as little-endian', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4, { signed: true });
    const st = w.struct('s', 4, [{ name: 'a', type: int, bitOffset: 0 }]);
    w.function('f', int, [['p', w.ptr(st)]]);
    const le = new Btf(w.build());
    const be = new Btf(w.build({ bigEndian: true }));
    for (let id = 0; id < le.typeCount; id++) assert.deepEqual(be.type(id), le.type(id));
  });

  test('split BTF continues the base ids and strings, and finds base types through the base', () => {
    const { vmlinux, module, ids } = kernelFixture();
    const base = new Btf(vmlinux);
    const split = new Btf(module, base);
    assert.equal(split.firstId, base.typeCount);
    assert.equal(split.type(ids.fixmodStruct)?.kind, 'struct');
    assert.equal(split.nameOf(ids.fixmodStruct), 'fixmod_state');
    assert.equal(split.nameOf(ids.skb), 'sk_buff', 'a base type, by its id');
    assert.equal(split.string(split.nameOffsetOf(ids.skb)), 'sk_buff', 'a base string, by its offset');
    const seen: string[] = [];
    split.forEachNamed(1 << BtfKind.func, (_, name) => seen.push(name));
    assert.deepEqual(seen, ['fixmod_rx'], 'only its own types');
  });

  test('a newer header with a layout section lets the reader skip kinds it does not know', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4);
    // Kind 25, 4 bytes of its own and 8 per entry, with 2 entries.
    w.add({ kind: 'raw', words: [0, (25 << 24) | 2, 0, 7, 1, 2, 3, 4] });
    const after = w.typedef('after', int);
    const raw = w.build({ headerExtra: [0, 0] });
    // The layout section after the strings: 26 entries of 4 bytes; entry 25 = info_sz 4, elem_sz 8.
    const layout = Buffer.alloc(26 * 4);
    layout.writeUInt8(4, 25 * 4);
    layout.writeUInt8(8, 25 * 4 + 1);
    const data = Buffer.concat([raw, layout]);
    data.writeUInt32LE(raw.length - 32, 24);
    data.writeUInt32LE(layout.length, 28);
    const btf = new Btf(data);
    assert.equal(btf.type(after)?.kind, 'typedef');
    assert.equal(btf.type(int + 1), undefined, 'the unknown kind itself');
    assert.throws(() => new Btf(raw), BtfError, 'without the layout, an unknown kind is an error');
  });

  test('malformed data is refused with BtfError, never read out of bounds', () => {
    assert.throws(() => new Btf(Buffer.alloc(10)), BtfError);
    assert.throws(() => new Btf(Buffer.from('not btf at all, not btf at all')), /not BTF/);
    const good = kernelFixture().vmlinux;
    const badVersion = Buffer.from(good);
    badVersion[2] = 2;
    assert.throws(() => new Btf(badVersion), /version 2/);
    const pastEnd = Buffer.from(good);
    pastEnd.writeUInt32LE(good.length, 20);
    assert.throws(() => new Btf(pastEnd), /runs past the end/);
    assert.throws(() => new Btf(good.subarray(0, good.length - 200)), BtfError);
    // Every single-byte corruption of the type section: BtfError, or data that reads without throwing.
    const typeEnd = 24 + good.readUInt32LE(12);
    let refused = 0;
    for (let at = 24; at < typeEnd; at += 3) {
      const bad = Buffer.from(good);
      bad[at] ^= 0xa5;
      let btf: Btf;
      try {
        btf = new Btf(bad);
      } catch (e) {
        assert.ok(e instanceof BtfError, `byte ${at}: ${e}`);
        refused++;
        continue;
      }
      for (let id = 0; id < btf.typeCount + 2; id++) {
        btf.type(id);
        typeText(btf, id, 'x');
      }
    }
    assert.ok(refused > 0);
  });

  test('strings out of range read as empty; non-ASCII names are decoded as UTF-8', () => {
    const w = new BtfWriter();
    const id = w.typedef('größe', w.int('int', 4));
    const btf = new Btf(w.build());
    assert.equal(btf.nameOf(id), 'größe');
    assert.equal(btf.string(1 << 20), '');
  });
});

describe('C type text', () => {
  const { vmlinux, ids } = kernelFixture();
  const btf = new Btf(vmlinux);
  test('pointers, arrays, qualifiers, type tags and function pointers', () => {
    assert.equal(typeText(btf, ids.skbPtr), 'struct sk_buff *');
    assert.equal(typeText(btf, ids.skbPtr, 'skb'), 'struct sk_buff *skb');
    assert.equal(typeText(btf, ids.constCharPtr, 'fmt'), 'const char *fmt');
    assert.equal(typeText(btf, ids.constPtrToChar, 'p'), 'char *const p');
    assert.equal(typeText(btf, ids.userCharPtr, 'buf'), 'char __user *buf');
    assert.equal(typeText(btf, ids.restrict, 'r'), 'char *restrict r');
    assert.equal(typeText(btf, ids.destructorPtr, 'destructor'), 'void (*destructor)(struct sk_buff *, int)');
    assert.equal(typeText(btf, ids.enum), 'enum pid_type');
    assert.equal(typeText(btf, ids.float), 'double');
    assert.equal(typeText(btf, 0), 'void');
  });
  test('arrays of pointers and pointers to arrays', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4);
    const arrOfPtr = w.array(w.ptr(int), 4);
    const ptrToArr = w.ptr(w.array(int, 4));
    const b = new Btf(w.build());
    assert.equal(typeText(b, arrOfPtr, 'a'), 'int *a[4]');
    assert.equal(typeText(b, ptrToArr, 'p'), 'int (*p)[4]');
  });
  test('a cycle in malformed data ends', () => {
    const w = new BtfWriter();
    const a = w.reserve();
    w.define(a, { kind: 'const', type: a });
    assert.match(typeText(new Btf(w.build()), a), /\?/);
  });
});

describe('ELF', () => {
  const btf = kernelFixture().vmlinux;
  for (const [is64, bigEndian] of [
    [true, false],
    [false, false],
    [true, true],
  ]) {
    test(`the .BTF section and the function symbols of a ${is64 ? 64 : 32}-bit ${bigEndian ? 'big' : 'little'}-endian file`, async () => {
      const symbols = symbolSections(
        [
          ['tcp_sendmsg', 2],
          ['jiffies', 1],
          ['entry_SYSCALL_64', 2],
        ],
        3,
        { is64, bigEndian },
      );
      const file = writeElf([{ name: '.BTF', type: 1, data: btf }, ...symbols, { name: '.bss', type: 8, data: Buffer.alloc(64) }], { is64, bigEndian });
      const access = bytesAccess(file);
      const elf = await readElf(access);
      assert.deepEqual(Buffer.from((await readSection(access, elf, '.BTF', 1 << 20))!), btf);
      assert.equal(await readSection(access, elf, '.nothere', 1 << 20), undefined);
      assert.deepEqual((await readSection(access, elf, '.bss', 1 << 20))!.length, 0);
      assert.deepEqual(await readFunctionSymbols(access, elf, 1 << 20), ['tcp_sendmsg', 'entry_SYSCALL_64']);
      await assert.rejects(readSection(access, elf, '.BTF', 10), ElfError);
    });
  }
  test('a file that is not ELF, or whose sections lie outside it, is refused', async () => {
    await assert.rejects(readElf(bytesAccess(Buffer.from('hello world, not an ELF file at all'))), ElfError);
    const file = writeElf([{ name: '.BTF', type: 1, data: btf }]);
    await assert.rejects(readElf(bytesAccess(file.subarray(0, file.length - 10))), ElfError);
  });
});

describe('kallsyms', () => {
  test('text symbols only, clones as their function, padding and CFI stubs left out, module symbols by module', async () => {
    const expected = {
      kernel: ['_stext', 'tcp_sendmsg', 'entry_SYSCALL_64', 'calibrate_delay'],
      modules: [
        ['fixmod', ['fixmod_rx', 'fixmod_timer']],
        ['othermod', ['other_fn']],
      ],
    };
    const read = (s: ReturnType<typeof parseKallsyms>) => ({ kernel: s.kernel, modules: [...s.modules] });
    assert.deepEqual(read(parseKallsyms(DEFAULT_KALLSYMS)), expected);
    assert.deepEqual(read(await parseKallsymsInSteps(DEFAULT_KALLSYMS, 40)), expected, 'the same, read in small steps');
  });
  test('symbol names', () => {
    assert.equal(functionNameOf('foo.isra.0'), 'foo');
    assert.equal(functionNameOf('__pfx_foo'), undefined);
    assert.equal(functionNameOf('__cfi_foo'), undefined);
    assert.equal(functionNameOf('.L123'), undefined);
    assert.equal(functionNameOf('foo'), 'foo');
  });
});

describe('sorted names', () => {
  test('deduplicated, found, and searched by prefix with a limit', () => {
    const names = new SortedNames(['tcp_sendmsg', 'tcp_close', 'ip_output', 'tcp_sendmsg', 'tcp_send_ack']);
    assert.equal(names.size, 4);
    assert.ok(names.has('tcp_close'));
    assert.ok(!names.has('tcp'));
    assert.deepEqual(names.withPrefix('tcp_send', 10), ['tcp_send_ack', 'tcp_sendmsg']);
    assert.deepEqual(names.withPrefix('tcp_', 2), ['tcp_close', 'tcp_send_ack']);
    assert.deepEqual(names.withPrefix('zzz', 10), []);
    assert.deepEqual(names.withPrefix('', 10), ['ip_output', 'tcp_close', 'tcp_send_ack', 'tcp_sendmsg']);
    assert.deepEqual(
      mergePrefixed(
        [
          ['a', 'c'],
          ['b', 'c', 'd'],
        ],
        3,
      ),
      ['a', 'b', 'c'],
    );
  });
});
