// Kernel macros renamed in Linux 4.7 (`ICMP_INC_STATS_BH` -> `__ICMP_INC_STATS`):
// a warning where the target kernel lacks the old name, and quick fixes.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { hasSnmpRenames, SNMP_RENAMES, withNewSnmpNames } from '../../server/src/analysis/kernelRenames';
import { machineTarget } from '../../server/src/analysis/target';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { codeActions } from '../../server/src/features/codeActions';
import { toDiagnostics } from '../../server/src/features/diagnostics';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

const ON = (release: string) => machineTarget({ kernelRelease: release, arch: 'x86_64', guru: true });
const renamed = (text: string, release = '6.1.0-18-amd64', isLibrary = false) =>
  analyze(text, { cParser, guru: true, target: ON(release), isLibrary }).findings.filter((f) => f.code === 'kernel-macro-renamed');

const BUMP = [
  '%{',
  '#include <net/icmp.h>',
  '%}',
  'function bump(skb:long) %{',
  '\tstruct sk_buff *skb = (struct sk_buff *)(long)STAP_ARG_skb;',
  '\tICMP_INC_STATS_BH(dev_net(skb->dev), ICMP_MIB_INERRORS);',
  '%}',
  'probe kernel.function("icmp_rcv") { bump($skb) }',
  '',
].join('\n');

describe('renamed SNMP macros', () => {
  test('on a 4.7 or later kernel: a warning on the name, saying what it became and since when', () => {
    const [w, ...rest] = renamed(BUMP);
    assert.equal(rest.length, 0);
    assert.equal(BUMP.slice(w.start, w.end), 'ICMP_INC_STATS_BH');
    assert.equal(w.severity, 'warning');
    assert.equal(w.replacement, '__ICMP_INC_STATS');
    assert.match(w.message, /^ICMP_INC_STATS_BH does not exist on the target kernel 6\.1\.0-18-amd64: Linux 4\.7 renamed it __ICMP_INC_STATS/);
    assert.match(w.message, /%\( kernel_v < "4\.7" %\? \.\.\. %: \.\.\. %\)/);
  });

  test('the kernel release decides: 4.6 and older have the old name', () => {
    assert.equal(renamed(BUMP, '4.6.7').length, 0);
    assert.equal(renamed(BUMP, '3.10.0-1160.el7.x86_64').length, 0);
    assert.equal(renamed(BUMP, '4.7.0').length, 1);
    assert.equal(renamed(BUMP, '4.7.0-rc3').length, 1);
    assert.equal(renamed(BUMP, '4.19.0-27-amd64').length, 1);
    assert.equal(renamed(BUMP, '6.18.44').length, 1);
    assert.ok(!hasSnmpRenames(ON('4.6.2')) && hasSnmpRenames(ON('4.7.0')) && hasSnmpRenames(ON('4.10.1')));
  });

  test('inside a %( kernel_v < "4.7" %) branch: the branch is not taken on a newer kernel, so nothing', () => {
    const guarded = BUMP.replace(/function bump\(skb:long\) %\{[\s\S]*?%\}\n/, (f) => `%( kernel_v < "4.7" %?\n${f}%:\n${f.replace('ICMP_INC_STATS_BH', '__ICMP_INC_STATS')}%)\n`);
    assert.equal(renamed(guarded).length, 0);
    assert.equal(renamed(guarded, '4.4.0').length, 0);
  });

  test('C that copes itself: under #if or #ifdef, or defining the old name', () => {
    const underIf = BUMP.replace(
      '\tICMP_INC_STATS_BH(dev_net(skb->dev), ICMP_MIB_INERRORS);',
      '#if LINUX_VERSION_CODE < KERNEL_VERSION(4,7,0)\n\tICMP_INC_STATS_BH(dev_net(skb->dev), ICMP_MIB_INERRORS);\n#else\n\t__ICMP_INC_STATS(dev_net(skb->dev), ICMP_MIB_INERRORS);\n#endif',
    );
    assert.equal(renamed(underIf).length, 0);
    const underIfdef = BUMP.replace('\tICMP_INC_STATS_BH(', '#ifdef ICMP_INC_STATS_BH\n\tICMP_INC_STATS_BH(').replace('ICMP_MIB_INERRORS);', 'ICMP_MIB_INERRORS);\n#endif');
    assert.equal(renamed(underIfdef).length, 0);
    const defined = BUMP.replace('#include <net/icmp.h>', '#include <net/icmp.h>\n#ifndef ICMP_INC_STATS_BH\n#define ICMP_INC_STATS_BH(net, f) __ICMP_INC_STATS(net, f)\n#endif');
    assert.equal(renamed(defined).length, 0);
  });

  test('not in comments or strings, not the new names, not in library files', () => {
    const text = 'function f() %{ /* ICMP_INC_STATS_BH(net, x) */ const char *s = "ICMP_INC_STATS_BH"; __ICMP_INC_STATS(net, x); (void)s; %}\n';
    assert.equal(renamed(text).length, 0);
    assert.equal(renamed(BUMP, '6.1.0', true).length, 0);
  });

  test('in a %{ %} expression and at top level too; every use is flagged', () => {
    const text = '%{ static void bump(struct net *n) { NET_INC_STATS_BH(n, LINUX_MIB_LISTENDROPS); } %}\nprobe begin { x = %{ TCP_INC_STATS_BH(NULL, 1), 0 %} ; TCP_INC_STATS_BH = 1 }\n';
    assert.deepEqual(
      renamed(text).map((f) => [text.slice(f.start, f.end), f.replacement]),
      [
        ['NET_INC_STATS_BH', '__NET_INC_STATS'],
        ['TCP_INC_STATS_BH', '__TCP_INC_STATS'],
      ],
    );
  });

  test('every renamed macro of the series, with its new name', () => {
    for (const [old, now] of SNMP_RENAMES) {
      const [w] = renamed(`function f() %{ ${old}(net, 1); %}\n`);
      assert.equal(w?.replacement, now, old);
      assert.ok(/^_*[A-Z0-9_]+$/.test(now) && !now.endsWith('_BH'), now);
    }
    assert.equal(SNMP_RENAMES.get('ICMPMSGIN_INC_STATS_BH'), 'ICMPMSGIN_INC_STATS');
  });

  test('withNewSnmpNames rewrites whole names only', () => {
    assert.equal(withNewSnmpNames('ICMP_INC_STATS_BH(n, f); MY_ICMP_INC_STATS_BH(x); OTHER_BH(y);'), '__ICMP_INC_STATS(n, f); MY_ICMP_INC_STATS_BH(x); OTHER_BH(y);');
  });
});

describe('quick fixes for a renamed macro', () => {
  const fixes = (text: string) => {
    const document = TextDocument.create('file:///k.stp', 'systemtap', 1, text);
    const analysis = analyze(text, { cParser, guru: true, target: ON('6.1.0') });
    const offset = text.indexOf('ICMP_INC_STATS_BH(');
    const range = { start: document.positionAt(offset), end: document.positionAt(offset + 3) };
    return codeActions(analysis, document, range, toDiagnostics(analysis, document)).map((a) => ({
      title: a.title,
      preferred: a.isPreferred,
      code: a.diagnostics?.[0]?.code,
      result: TextDocument.applyEdits(document, a.edit!.changes!['file:///k.stp']),
    }));
  };

  test('change to the new name (preferred), or keep both under a kernel version test', () => {
    const [change, guard] = fixes(BUMP);
    assert.equal(change.title, 'Change to __ICMP_INC_STATS');
    assert.equal(change.preferred, true);
    assert.equal(change.code, 'kernel-macro-renamed');
    assert.equal(change.result, BUMP.replace('\tICMP_INC_STATS_BH(', '\t__ICMP_INC_STATS('));
    assert.equal(guard.title, 'Keep both spellings: %( kernel_v < "4.7" %? old %: new %)');
    assert.equal(guard.preferred, false);
    const body = BUMP.slice(BUMP.indexOf('%{\n\tstruct'), BUMP.indexOf('%}\nprobe') + 2);
    assert.equal(guard.result, BUMP.replace(body, `%( kernel_v < "4.7" %?\n${body}\n%:\n${body.replace('ICMP_INC_STATS_BH', '__ICMP_INC_STATS')}\n%)`));
  });

  test('each fix leaves nothing to warn about, on either side of 4.7', () => {
    for (const fixed of fixes(BUMP).map((f) => f.result)) {
      assert.equal(renamed(fixed).length, 0, fixed);
      const all = analyze(fixed, { cParser, guru: true, target: ON('6.1.0') }).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(all, []);
    }
    const guarded = fixes(BUMP)[1].result;
    assert.equal(renamed(guarded, '4.4.0').length, 0);
    // The function is still one function: its body is the branch for the kernel.
    const analysis = analyze(guarded, { cParser, guru: true, target: ON('4.4.0') });
    assert.match(analysis.cFacts.find((c) => c.region.context.kind === 'functionBody')!.region.code.code, /\tICMP_INC_STATS_BH\(/);
  });

  test('a one-line %{ %} expression is guarded on one line', () => {
    const text = 'probe begin { x = %{ ICMP_INC_STATS_BH(NULL, 1), 0 %} }\n';
    const guard = fixes(text).find((f) => f.title.startsWith('Keep both'))!;
    assert.equal(guard.result, 'probe begin { x = %( kernel_v < "4.7" %? %{ ICMP_INC_STATS_BH(NULL, 1), 0 %} %: %{ __ICMP_INC_STATS(NULL, 1), 0 %} %) }\n');
  });
});
