// The "keep both spellings" fix for a renamed kernel macro, judged by the
// real stap: the result parses with `stap -p1 -g`, and stap keeps the old
// name's body for a 4.6 kernel and the new one for a 6.1 kernel.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { machineTarget } from '../../server/src/analysis/target';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { codeActions } from '../../server/src/features/codeActions';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { fakeKernelTree, stapOrSkip } from '../support/stapOracle';

const stap = stapOrSkip();

/** A fake kernel tree like the oracle's, for another release. */
function fakeTreeFor(release: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stap-fake-kernel-${release}-`));
  fs.cpSync(fakeKernelTree(), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'include', 'config', 'kernel.release'), `${release}\n`);
  return dir;
}

/** stap -p1's parse tree of the file: the preprocessor has chosen the branches. */
const parseTree = (file: string, tree: string) => execFileSync(stap!, ['-r', tree, '-p1', '-g', file], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });

describe('the version-guard fix with the real stap', { skip: !stap && 'stap not installed' }, () => {
  let cParser: CParser;
  before(async () => {
    cParser = await loadCParser();
  });

  test('parses, and each kernel gets its spelling', () => {
    const text = [
      'function bump(skb:long) %{',
      '\tstruct sk_buff *skb = (struct sk_buff *)(long)STAP_ARG_skb;',
      '\tICMP_INC_STATS_BH(dev_net(skb->dev), ICMP_MIB_INERRORS);',
      '%}',
      'probe begin { bump(0) }',
      '',
    ].join('\n');
    const document = TextDocument.create('file:///k.stp', 'systemtap', 1, text);
    const analysis = analyze(text, { cParser, guru: true, target: machineTarget({ kernelRelease: '6.1.0', arch: 'x86_64' }) });
    const at = document.positionAt(text.indexOf('ICMP_INC_STATS_BH'));
    const guard = codeActions(analysis, document, { start: at, end: at }, toDiagnostics(analysis, document)).find((a) => a.title.startsWith('Keep both'));
    assert.ok(guard, 'no version-guard fix');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stap-guard-')), 'guarded.stp');
    fs.writeFileSync(file, TextDocument.applyEdits(document, guard.edit!.changes!['file:///k.stp']));

    const newer = parseTree(file, fakeKernelTree()); // 6.1.0-fake
    assert.match(newer, /__ICMP_INC_STATS\(dev_net/);
    assert.doesNotMatch(newer, /ICMP_INC_STATS_BH/);
    const older = parseTree(file, fakeTreeFor('4.6.7'));
    assert.match(older, /\tICMP_INC_STATS_BH\(dev_net/);
    assert.doesNotMatch(older, /__ICMP_INC_STATS/);
    // stap's kernel_v for 4.7.0 is not below "4.7": the first release with the new names gets them.
    assert.match(parseTree(file, fakeTreeFor('4.7.0')), /__ICMP_INC_STATS\(dev_net/);
  });
});
