// The running kernel's own BTF (/sys/kernel/btf/vmlinux) and symbol table,
// when this machine has them: the reader and the query API on the real thing.
// Completion and hover on it. Skipped, saying why, on a kernel built without BTF.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { completionList } from '../../server/src/features/completion';
import { hover } from '../../server/src/features/hover';
import { BtfKind } from '../../server/src/kernel/btf';
import { typeText } from '../../server/src/kernel/cType';
import { KernelTypes } from '../../server/src/kernel/kernelTypes';
import { loadKernel, MACHINE_SOURCES } from '../../server/src/kernel/loadKernel';

const VMLINUX = `${MACHINE_SOURCES.sysBtfDir}/vmlinux`;
const skip = !fs.existsSync(VMLINUX) && `${VMLINUX} does not exist: this kernel was built without BTF (CONFIG_DEBUG_INFO_BTF)`;

describe('the running kernel', { skip }, () => {
  let kernel: KernelTypes;
  before(async () => {
    const loaded = await loadKernel({ kernelTypes: '', kernelRelease: os.release() });
    assert.equal(loaded.state, 'loaded', loaded.message);
    if (loaded.state !== 'loaded') return;
    assert.equal(await loaded.symbols, undefined, 'kallsyms is read');
    kernel = loaded.types;
  });

  test('tens of thousands of functions and types; kallsyms knows some BTF lacks', () => {
    const c = kernel.counts;
    assert.ok(c.types > 10000, `${c.types} types`);
    assert.ok(c.functions > 10000, `${c.functions} functions`);
    assert.ok(c.symbolsOnly > 0, 'functions from the symbol table only');
    assert.ok(kernel.hasFunction('schedule'));
  });

  test('well-known prototypes and members', () => {
    const ipOutput = kernel.function('ip_output')!;
    const skb = ipOutput.params.find((p) => p.name === 'skb')!;
    assert.equal(skb.type, 'struct sk_buff *');
    const members = kernel.members(skb.ref)!.map((m) => m.name);
    for (const m of ['len', 'dev', 'data', 'next']) assert.ok(members.includes(m), m);
    const dev = kernel.member(skb.ref, 'dev')!;
    assert.ok(kernel.member(dev.ref, 'name')!.type.startsWith('char ['));
    assert.equal(kernel.aggregate('task_struct')?.kind, 'struct');
    assert.ok(kernel.member(kernel.typeNamed('task_struct')!, 'pid'));
  });

  test('tracepoints and their arguments', () => {
    const tp = kernel.tracepoint('sched_switch')!;
    assert.ok(tp, 'sched_switch');
    const names = tp.args.map((a) => a.name);
    assert.ok(names.includes('prev') && names.includes('next'), names.join(', '));
    assert.deepEqual(kernel.tracepointsWithPrefix('sched_switch', 5), ['sched_switch']);
  });

  test('prefix search is sorted, capped, and merges the symbol table', () => {
    const found = kernel.functionsWithPrefix('tcp_', 50);
    assert.equal(found.length, 50);
    assert.deepEqual([...found].sort(), found);
    assert.ok(found.every((n) => n.startsWith('tcp_')));
  });

  test('every seventh type decodes and prints', () => {
    const btf = kernel.btf;
    for (let id = 1; id < btf.typeCount; id += 7) {
      const t = btf.type(id);
      assert.ok(t, `type ${id}`);
      if (btf.kindOf(id) !== BtfKind.datasec) assert.notEqual(typeText(btf, id), '', `type ${id}`);
    }
  });

  test('a script against it: a typo is caught, the real names are not', () => {
    const findings = (text: string) => analyze(text, { kernel }).findings.map((f) => [f.code, text.slice(f.start, f.end)]);
    assert.deepEqual(findings('probe kernel.function("ip_output") { println($skb->len, $skb->dev->name$) }\n'), []);
    assert.deepEqual(findings('probe kernel.function("ip_outptu") { }\n'), [['kernel-function-unknown', 'ip_outptu']]);
    assert.deepEqual(findings('probe kernel.function("ip_output") { println($skb->lenn) }\n'), [['target-member-unknown', 'lenn']]);
  });

  test('completion and hover on it', () => {
    const at = (marked: string) => {
      const offset = marked.indexOf('|');
      const text = marked.slice(0, offset) + marked.slice(offset + 1);
      return { analysis: analyze(text, { kernel }), document: TextDocument.create('file:///real.stp', 'systemtap', 1, text), offset };
    };
    const list = (marked: string) => {
      const { analysis, document, offset } = at(marked);
      return completionList(analysis, document, offset, undefined, undefined, kernel);
    };
    const all = list('probe kernel.function("|") {}');
    assert.equal(all.items.length, 200);
    assert.equal(all.isIncomplete, true);
    const tcp = list('probe kernel.function("tcp_sendm|") {}');
    assert.ok(tcp.items.some((i) => i.label === 'tcp_sendmsg' && i.detail?.startsWith('int tcp_sendmsg(struct sock *sk')));
    const members = list('probe kernel.function("ip_output") { println($skb->|) }').items.map((i) => i.label);
    for (const m of ['dev', 'len', 'data', 'next', 'sk']) assert.ok(members.includes(m), m);
    assert.ok(list('probe kernel.trace("sched_sw|") {}').items.some((i) => i.label === 'sched_switch'));
    const { analysis, document, offset } = at('probe kernel.function("ip_output") { println($s|kb->len) }');
    const shown = hover(analysis, document, offset, undefined, kernel);
    assert.match(JSON.stringify(shown?.contents), /struct sk_buff \*\$skb/);
  });
});
