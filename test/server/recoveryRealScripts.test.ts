// Recovery on real scripts: the samples and installed examples cut at every
// kind of point keep every declaration after the cut (the crafted cases:
// test/unit/recovery.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildTapsetIndex, EMPTY_INDEX, TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { machineTarget } from '../../server/src/analysis/target';
import { analyzer, CUT_KINDS, CutKind, measureRecovery } from '../support/recoveryCuts';
import { SAMPLES } from '../support/paths';

const libraryMacros = loadLibraryMacros(findTapsetDir());

// Real scripts cut at every kind of point: a fixed sample, so that the figure
// `npm run bench` prints over all the installed examples cannot quietly drop.
const EXAMPLES = '/usr/share/systemtap/examples';
const SAMPLED = [
  'apps/stap_time.stp',
  'general/alias_suffixes.stp',
  'general/eventcount.stp',
  'io/enospc.stp',
  'io/iostat-scsi.stp',
  'io/traceaio.stp',
  'network/net_xmit_json.stp',
  'process/futexes2.stp',
  'process/plimit.stp',
  'process/semop-watch.stp',
  'profiling/periodic.stp',
  'security-band-aids/cve-2013-2094.stp',
];
const examplesInstalled = SAMPLED.every((f) => fs.existsSync(path.join(EXAMPLES, f)));
if (process.env.CI && !examplesInstalled) throw new Error('the sampled SystemTap examples are not installed (apt-get install systemtap-doc)');

describe('real scripts cut inside their declarations', () => {
  let index: TapsetIndex = EMPTY_INDEX;
  before(async () => {
    const dir = findTapsetDir();
    if (dir) index = await buildTapsetIndex(dir, 'x86_64', machineTarget({ arch: 'x86_64' }), libraryMacros);
  });

  const check = (files: { name: string; text: string }[], kinds: CutKind[]) => {
    const figures = measureRecovery(files, analyzer(libraryMacros), index);
    assert.deepEqual(figures.losses, []);
    assert.equal(figures.kept, figures.total);
    for (const kind of kinds) assert.ok(figures.byKind.get(kind)!.total > 0, `no declarations after a cut of kind '${kind}'`);
  };

  test('the samples, one after another in one script', () => {
    const text = fs
      .readdirSync(SAMPLES)
      .filter((f) => f.endsWith('.stp') && f !== 'mistakes.stp')
      .map((f) => fs.readFileSync(path.join(SAMPLES, f), 'utf8').replace(/^#!.*\n/, ''))
      .join('\n');
    check([{ name: 'samples', text }], ['probe point in string', 'call after (', 'unclosed brace', 'unclosed string', 'unclosed embedded C', 'function parameters']);
  });

  test('a sample of the installed examples, every kind of cut', { skip: !examplesInstalled && 'examples not installed' }, () => {
    const files = SAMPLED.map((f) => ({ name: f, text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));
    check(files, Object.keys(CUT_KINDS) as CutKind[]);
  });
});
