// What a probe's body can reach of the kernel, as completion and hover ask
// it: the probed function's parameters (or a tracepoint's arguments), and
// the types that member chains, @cast and @entry lead to.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chainType, probeTargets, stepsFrom, TargetTypes } from '../../server/src/analysis/kernelTargets';
import { Expr, ProbeDecl } from '../../server/src/syntax/ast';
import { parse } from '../../server/src/syntax/parser';
import { walkCode } from '../../server/src/syntax/walk';
import { Btf } from '../../server/src/kernel/btf';
import { KernelTypes } from '../../server/src/kernel/kernelTypes';
import { kernelFixture } from '../support/kernelFixture';

const fixture = kernelFixture();
const vmlinux = new Btf(fixture.vmlinux);
const kernel = new KernelTypes(vmlinux, { source: 'fixture', loadModule: (name) => (name === 'fixmod' ? new Btf(fixture.module, vmlinux) : undefined) });
const probe = (text: string) => parse(text).items[0] as ProbeDecl;

describe('probe targets', () => {
  test('a function probe: its parameters, and $return in .return probes', () => {
    const text = 'probe kernel.function("alloc_skb").return { }\n';
    const [t] = probeTargets(probe(text), text, kernel)!;
    assert.equal(t.kind, 'function');
    assert.equal(t.prototype, 'struct sk_buff *alloc_skb(unsigned int size)');
    assert.deepEqual([...t.params.keys()], ['size']);
    assert.equal(kernel.typeText(t.returnRef!), 'struct sk_buff *');
  });
  test('a tracepoint, a module function, several points; none for patterns and other points', () => {
    const targets = (text: string) => probeTargets(probe(text), text, kernel)?.map((t) => t.label);
    assert.deepEqual(targets('probe kernel.trace("sched_switch") { }'), ['tracepoint sched_switch']);
    assert.deepEqual(targets('probe module("fixmod").function("fixmod_rx") { }'), ['fixmod_rx']);
    assert.deepEqual(targets('probe kernel.function("ip_output"), kernel.function("tcp_sendmsg") { }'), ['ip_output', 'tcp_sendmsg']);
    assert.equal(targets('probe kernel.function("tcp_*") { }'), undefined);
    assert.equal(targets('probe kernel.function("ip_output"), begin { }'), undefined);
    assert.equal(targets('probe begin { }'), undefined);
  });
});

describe('types along a chain', () => {
  const text = 'probe kernel.function("ip_output") { }\n';
  const [target] = probeTargets(probe(text), text, kernel)!;
  test('from a variable and member names, as completion after `$skb->dev->` asks', () => {
    const dev = chainType(target, '$skb', ['dev'])!;
    assert.equal(dev.types.typeText(dev.ref), 'struct net_device *');
    assert.deepEqual(
      dev.types.members(dev.ref)!.map((m) => m.name),
      ['name', 'flags', 'stats'],
    );
    assert.equal(kernel.typeText(chainType(target, 'skb', ['dev', 'name', '[]'])!.ref), 'char');
    assert.equal(chainType(target, '$skb', ['nosuch']), undefined);
    assert.equal(chainType(target, '$nosuch', []), undefined);
    assert.equal(kernel.typeText(stepsFrom({ ref: kernel.typeNamed('task_struct')!, types: kernel }, ['se', 'on_rq'])!.ref), 'int');
  });
  test('of expressions in the tree, as hover asks', () => {
    const script = 'probe kernel.function("ip_output").return { x = $skb->dev->stats; y = @cast(0, "sk_buff")->sk; z = @entry($skb)->len; w = $return }\n';
    const tree = parse(script);
    const [t] = probeTargets(tree.items[0] as ProbeDecl, script, kernel)!;
    const types = new TargetTypes(script, kernel);
    const shown: string[] = [];
    walkCode(tree, (node) => {
      if (node.kind === 'assign') {
        const typed = types.typeOf((node as Expr).children[1], t);
        shown.push(typed && typed !== 'unknown' ? typed.types.typeText(typed.ref) : String(typed));
      }
    });
    assert.deepEqual(shown, ['struct net_device_stats', 'struct sock *', 'unsigned int', 'int']);
  });
});
