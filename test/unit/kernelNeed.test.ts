// Which scripts stap-check reads the kernel's type data for: those with a
// kernel probe point, a target variable, @cast or embedded C.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsKernelData } from '../../server/src/cli/kernelNeed';

test('scripts that use the kernel need its data; others do not', () => {
  for (const text of [
    'probe kernel.function("ip_output") {}',
    'probe kprobe.function("vfs_read") {}',
    'probe module("ext4").function("*") {}',
    'probe kernel.trace("sched_switch") {}',
    'probe begin { println(@cast(p, "sk_buff")->len) }',
    'probe syscall.open { println($filename) }',
    'probe begin { println($$parms) }',
    'function f:long () %{ STAP_RETVALUE = current->pid; %}',
  ])
    assert.equal(needsKernelData(text), true, text);
  for (const text of ['probe begin { println("hello") }', 'probe timer.s($1) { printf("%s %d\\n", execname(), pid()) }', 'global kernel_count\nprobe syscall.open { kernel_count++ }'])
    assert.equal(needsKernelData(text), false, text);
});
