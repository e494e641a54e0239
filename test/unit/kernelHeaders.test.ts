// The function-like macros of the kernel headers a %{ %} block includes
// explain C syntax errors, when the build tree is known: on a build tree the
// test writes (kbuild's folders, Debian's split of sources and build), and on
// Debian's real linux-headers package when it is installed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { kernelHeaders, kernelIncludeDirs } from '../../server/src/embedded/kernelHeaders';
import { Environment } from '../../server/src/environment/environment';
import { debianBuildTree } from '../support/kernelBuildTree';
import { tempFolder } from '../support/tempFiles';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

// A macro used as a loop header: tree-sitter reads `do_each_widget(w) {` as a call missing its `;`.
const WIDGET_H = '#ifndef _WIDGET_H\n#define _WIDGET_H\n#include <linux/inner.h>\n#define WIDGETS 3\n#define do_each_widget(w, n) for (w = 0; w < WIDGETS; w++, n++)\n#endif\n';
const INNER_H = '#include <linux/innermost.h>\n# define do_each_inner(x, n) \\\n\tfor (x = 0; x < 2; x++, n++)\n';
const INNERMOST_H = '#define do_each_innermost(x, n) for (x = 0; x < 1; x++, n++)\n';

/** A build tree as kbuild lays one out: sources and generated headers in one folder. */
function buildTree(files: Record<string, string> = {}): string {
  return tempFolder('kernel-tree-', {
    Makefile: '',
    'include/linux/widget.h': WIDGET_H,
    'include/linux/inner.h': INNER_H,
    'include/linux/innermost.h': INNERMOST_H,
    'include/generated/autoconf.h': '',
    'arch/x86/include/asm/page.h': '#define do_each_page(p, n) for (p = 0; p < 1; p++, n++)\n',
    ...files,
  });
}

const script = (include: string, loop: string) =>
  `%{\n#include ${include}\n%}\nfunction n:long () %{ /* pure */\n\tint i;\n\tlong n = 0;\n\t${loop}(i, n) {\n\t\tn++;\n\t}\n\tSTAP_RETVALUE = n;\n%}\nprobe begin { println(n()) }\n`;
const cErrors = (text: string, tree?: string) =>
  analyze(text, { cParser, guru: true, kernelHeaders: tree ? kernelHeaders(tree, 'x86_64') : undefined }).findings.filter((f) => f.code === 'embedded-c-syntax');

describe("kernel headers' macros explain C syntax errors", () => {
  test('without a build tree the macro used as a loop header is a C syntax error, as before; with one it is not', () => {
    const tree = buildTree();
    const text = script('<linux/widget.h>', 'do_each_widget');
    const [error, ...rest] = cErrors(text);
    assert.deepEqual(rest, []);
    assert.equal(text.slice(0, error.start).split('\n').length, 7);
    assert.deepEqual(cErrors(text, tree), []);
  });

  test('a header the named one includes counts, one include deep; deeper ones do not', () => {
    const tree = buildTree();
    assert.deepEqual(cErrors(script('<linux/widget.h>', 'do_each_inner'), tree), []);
    assert.equal(cErrors(script('<linux/widget.h>', 'do_each_innermost'), tree).length, 1);
  });

  test("the arch's headers are found as <asm/...>, and a macro no header defines is still an error", () => {
    const tree = buildTree();
    assert.deepEqual(cErrors(script('<asm/page.h>', 'do_each_page'), tree), []);
    assert.equal(cErrors(script('<linux/widget.h>', 'do_each_gadget'), tree).length, 1);
    assert.equal(cErrors(script('<linux/nosuch.h>', 'do_each_widget'), tree).length, 1);
  });

  test('a real C mistake beside an explained macro is still reported', () => {
    const tree = buildTree();
    const text = script('<linux/widget.h>', 'do_each_widget') + 'function bad:long () %{\n\tint y = 1 +;\n\tSTAP_RETVALUE = y;\n%}\n';
    const [error, ...rest] = cErrors(text, tree);
    assert.deepEqual(rest, []);
    assert.ok(error.start > text.indexOf('function bad'));
  });

  test('a header that changes is read again', () => {
    const tree = buildTree();
    const headers = kernelHeaders(tree, 'x86_64')!;
    const text = script('<linux/widget.h>', 'do_each_widget');
    const errors = () => analyze(text, { cParser, guru: true, kernelHeaders: headers }).findings.filter((f) => f.code === 'embedded-c-syntax');
    assert.deepEqual(errors(), []);
    const file = path.join(tree, 'include/linux/widget.h');
    fs.writeFileSync(file, WIDGET_H.replace('do_each_widget', 'do_each_gizmo'));
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    assert.equal(errors().length, 1);
  });

  test('include paths that leave the include folders are not followed', () => {
    const tree = buildTree({ 'outside.h': '#define do_each_widget(w, n) for (;;)\n' });
    fs.writeFileSync(path.join(tree, 'include/linux/widget.h'), '');
    for (const include of ['<../outside.h>', '<linux/../../outside.h>', `<${path.join(tree, 'outside.h')}>`]) assert.equal(cErrors(script(include, 'do_each_widget'), tree).length, 1, include);
  });
});

describe('the include folders of a build tree', () => {
  test("kbuild's order, the arch's folder by its kernel name, only folders that exist", () => {
    const tree = buildTree({ 'arch/arm64/include/asm/x.h': '', 'include/uapi/linux/y.h': '', 'arch/x86/include/generated/asm/z.h': '' });
    assert.deepEqual(
      kernelIncludeDirs(tree, 'x86_64').map((d) => path.relative(tree, d)),
      ['arch/x86/include', 'arch/x86/include/generated', 'include', 'include/uapi'],
    );
    assert.deepEqual(
      kernelIncludeDirs(tree, 'aarch64').map((d) => path.relative(tree, d)),
      ['arch/arm64/include', 'include', 'include/uapi'],
    );
  });

  test("Debian's split: the sources named by the build tree's Makefile, the generated headers in the build tree", () => {
    const common = tempFolder('kernel-common-', { Makefile: '', 'include/linux/widget.h': WIDGET_H, 'arch/x86/include/asm/page.h': '' });
    const build = tempFolder('kernel-build-', { Makefile: `include ${common}/Makefile\n`, 'include/generated/autoconf.h': '', 'arch/x86/include/generated/asm/x.h': '' });
    assert.deepEqual(kernelIncludeDirs(build, 'x86_64'), [
      path.join(common, 'arch/x86/include'),
      path.join(build, 'arch/x86/include/generated'),
      path.join(common, 'include'),
      path.join(build, 'include'),
    ]);
    assert.deepEqual(cErrors(script('<linux/widget.h>', 'do_each_widget'), build), []);
  });

  test('a folder without kernel headers gives none', () => {
    assert.deepEqual(kernelIncludeDirs(tempFolder('not-a-kernel-', { Makefile: '' }), 'x86_64'), []);
    assert.equal(kernelHeaders(tempFolder('not-a-kernel-', {}), 'x86_64'), undefined);
    assert.equal(kernelHeaders('/nonexistent/kernel/tree', 'x86_64'), undefined);
  });

  test('the environment gives the analysis the headers of the build tree its kernel setting names, and none without one', () => {
    const tree = buildTree({ 'include/config/kernel.release': '6.1.0-test\n' });
    const withTree = new Environment({ kernelRelease: tree, arch: 'x86_64' }, { cParser: false, index: false, kernel: false });
    assert.ok(withTree.analysisOptions(undefined).kernelHeaders);
    const without = new Environment({ kernelRelease: '0.0.0-no-such-release', arch: 'x86_64' }, { cParser: false, index: false, kernel: false });
    assert.equal(without.analysisOptions(undefined).kernelHeaders, undefined);
  });
});

const debian = debianBuildTree();

describe("Debian's kernel headers", { skip: !debian && 'no linux-headers-*-amd64 in /usr/src' }, () => {
  test("do_each_thread from <linux/sched/signal.h>, and do_each_pid_task from <linux/pid.h> through <linux/sched.h>, are the kernel's macros, not C mistakes", () => {
    const threads =
      '%{\n#include <linux/sched/signal.h>\n%}\nfunction threads:long () %{ /* pure */\n\tstruct task_struct *g, *t;\n\tlong n = 0;\n\trcu_read_lock();\n\tdo_each_thread(g, t) {\n\t\tn++;\n\t} while_each_thread(g, t);\n\trcu_read_unlock();\n\tSTAP_RETVALUE = n;\n%}\nprobe begin { println(threads()) }\n';
    const group =
      '%{\n#include <linux/sched.h>\n%}\nfunction group:long (pgrp:long) %{ /* pure */\n\tstruct task_struct *p;\n\tlong n = 0;\n\tstruct pid *pid = find_vpid(STAP_ARG_pgrp);\n\tdo_each_pid_task(pid, PIDTYPE_PGID, p) {\n\t\tn++;\n\t} while_each_pid_task(pid, PIDTYPE_PGID, p);\n\tSTAP_RETVALUE = n;\n%}\nprobe begin { println(group(1)) }\n';
    for (const text of [threads, group]) {
      assert.equal(cErrors(text).length, 1, 'without the headers: the C parser stumbles');
      assert.deepEqual(cErrors(text, debian), []);
    }
  });
});
