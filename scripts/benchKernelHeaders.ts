// `npm run bench:kernel-headers`: what reading the kernel headers a `%{ %}`
// block includes costs the analysis, when the build tree is known. Two guru
// scripts, each in a fresh process: one includes six headers and uses
// `do_each_thread(g, t) { ... }` of one of them, the other includes
// <linux/sched.h> only and uses `do_each_pid_task(...) { ... }` of a header
// that one includes (the headers one include deeper are read too). Each
// loop is a C syntax error until those macros explain it. Each script is
// analysed first with the headers unread (the first analysis in the
// editor), then again and again (the headers' names kept), and without the
// headers for comparison. Needs a kernel build tree: BUILD_TREE=DIR, or
// Debian's /usr/src/linux-headers-*-amd64. Figures only: nothing here passes
// or fails.

import { execFileSync } from 'child_process';
import { analyze } from '../server/src/analysis/analyze';
import { loadCParser } from '../server/src/embedded/cParser';
import { kernelHeaders } from '../server/src/embedded/kernelHeaders';
import { debianBuildTree } from '../test/support/kernelBuildTree';
import { percentile } from './semanticScript';

const RUNS = Number(process.env.BENCH_RUNS ?? 41);

const NAMED = `%{
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/list.h>
#include <linux/cpumask.h>
%}
function threads:long () %{ /* pure */
	struct task_struct *g, *t;
	long n = 0;
	rcu_read_lock();
	do_each_thread(g, t) {
		n++;
	} while_each_thread(g, t);
	rcu_read_unlock();
	STAP_RETVALUE = n;
%}
probe begin { println(threads()); exit() }
`;

const INCLUDED = `%{
#include <linux/sched.h>
%}
function group:long (pgrp:long) %{ /* pure */
	struct task_struct *p;
	long n = 0;
	struct pid *pid = find_vpid(STAP_ARG_pgrp);
	do_each_pid_task(pid, PIDTYPE_PGID, p) {
		n++;
	} while_each_pid_task(pid, PIDTYPE_PGID, p);
	STAP_RETVALUE = n;
%}
probe begin { println(group(1)); exit() }
`;

const CASES: Record<string, { script: string; what: string }> = {
  named: { script: NAMED, what: 'six headers, the macro in one of them' },
  included: { script: INCLUDED, what: '<linux/sched.h>, the macro in a header it includes' },
};

async function main(): Promise<void> {
  const tree = process.env.BUILD_TREE || debianBuildTree();
  if (!tree) {
    console.log('no kernel build tree (BUILD_TREE=DIR, or apt-get install linux-headers-amd64): nothing measured');
    return;
  }
  const which = process.argv[2];
  if (!which) {
    // Each case in a process of its own: the headers read for one are not kept for the other.
    console.log(`kernel headers of ${tree}; ${RUNS} runs each:`);
    for (const name of Object.keys(CASES)) process.stdout.write(execFileSync(process.execPath, [__filename, name], { env: { ...process.env, BUILD_TREE: tree }, encoding: 'utf8' }));
    return;
  }
  const { script: SCRIPT, what } = CASES[which];
  const cParser = await loadCParser();
  // The C parser's own first run is not the headers' cost.
  analyze(SCRIPT, { cParser, guru: true });
  const headers = kernelHeaders(tree, process.arch === 'arm64' ? 'aarch64' : 'x86_64');
  if (!headers) {
    console.log(`${tree} has no include folders: nothing measured`);
    return;
  }
  const time = (withHeaders: boolean) => {
    const start = performance.now();
    const found = analyze(SCRIPT, { cParser, guru: true, kernelHeaders: withHeaders ? headers : undefined }).findings.filter((f) => f.code === 'embedded-c-syntax').length;
    return { ms: performance.now() - start, found };
  };
  const first = time(true);
  const again: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    again.push(time(true).ms);
    without.push(time(false).ms);
  }
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`${what}:`);
  console.log(`  first analysis, headers read: ${f(first.ms)} (C syntax errors left: ${first.found})`);
  console.log(`  later analyses, names kept: p50 ${f(percentile(again, 0.5))}, p95 ${f(percentile(again, 0.95))}`);
  console.log(`  without the headers: p50 ${f(percentile(without, 0.5))}, p95 ${f(percentile(without, 0.95))} (C syntax errors left: ${time(false).found})`);
}

void main();
