// stap-check's parts, run in this process: files checked one by one, scripts
// read up to a size, and its arguments. dist/cli.js itself is run in
// test/server/cliRobustness.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { AnalysisOptions } from '../../server/src/analysis/analyze';
import { checkFolders, parseArgs, UsageError, USAGE } from '../../server/src/cli/args';
import { checkFiles, checkText, FileReport, MAX_SCRIPT_BYTES, readScript } from '../../server/src/cli/checkFiles';
import { escapeControl } from '../../server/src/cli/output';
import { tempFolder } from '../support/tempFiles';

const folder = (files: Record<string, string> = {}) => tempFolder('stap-check-io-', files);

describe('checking files one by one', () => {
  const options: AnalysisOptions = {};

  test('a .stpm file is library code: only macros is no empty script there', async () => {
    const text = '@define answer %( 42 %)\n';
    const reports = await checkFiles(['m.stpm', 'm.stp'], { syntaxOnly: true }, async () => text);
    assert.deepEqual(
      reports.map((r) => r.diagnostics.map((d) => d.message.replace(/:.*/, ''))),
      [[], ['this script is empty after preprocessing']],
    );
  });

  test('a file whose check throws gets an internal error; the others are checked', async () => {
    const texts: Record<string, string> = { 'a.stp': 'probe begin { x = }\n', 'b.stp': 'BOOM', 'c.stp': 'probe begin { exit() }\n' };
    const reports = await checkFiles(
      ['a.stp', 'b.stp', 'missing.stp', 'c.stp'],
      options,
      async (f) => {
        if (!(f in texts)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return texts[f];
      },
      (file, text, o): FileReport => {
        if (text === 'BOOM') throw new RangeError('simulated');
        return checkText(file, text, o);
      },
    );
    assert.deepEqual(
      reports.map((r) => [r.file, r.diagnostics.length, r.readError, r.internalError]),
      [
        ['a.stp', 1, undefined, undefined],
        ['b.stp', 0, undefined, 'simulated'],
        ['missing.stp', 0, 'no such file', undefined],
        ['c.stp', 0, undefined, undefined],
      ],
    );
  });

  test('a script is read up to a size, from a pipe too', { skip: !fs.existsSync('/dev/zero') && 'no /dev/zero' }, async () => {
    await assert.rejects(readScript('/dev/zero', 1024 * 1024), /larger than 1 MiB/);
    const dir = folder({ 'a.stp': 'probe begin {}\n' });
    assert.equal(await readScript(path.join(dir, 'a.stp')), 'probe begin {}\n');
    await assert.rejects(readScript(dir), /is a directory/);
    assert.ok(MAX_SCRIPT_BYTES >= 16 * 1024 * 1024);
  });

  test('folder checks and the standard input twice', () => {
    const o = parseArgs(['-I', '/no/such', 'x.stp']);
    assert.ok(o !== 'help' && o !== 'version');
    assert.throws(
      () => checkFolders(o),
      (e) => e instanceof UsageError && /no such folder/.test(e.message),
    );
    assert.throws(() => parseArgs(['-', '-']), UsageError);
  });

  test("-G NAME=VALUE, as stap takes it: the names given a value; stap's words for one not of its pattern", () => {
    const o = parseArgs(['-G', 'x=5', '-Gy=abc', 'a.stp']);
    assert.ok(o !== 'help' && o !== 'version');
    assert.deepEqual(o.globalValues, ['x', 'y']);
    assert.throws(
      () => parseArgs(['-G', 'x=', 'a.stp']),
      (e) => e instanceof UsageError && e.message === "Safety pattern mismatch for -G parameter ('x=' vs. '^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$')",
    );
    assert.throws(() => parseArgs(['-G']), UsageError);
    assert.match(USAGE, /-G NAME=VALUE/);
  });

  test('escapeControl', () => {
    assert.equal(escapeControl('a\0b\x01c\td\ne\rf\x1b\x7f\x85g é'), 'a\\0b\\x01c\\td\\ne\\rf\\x1b\\x7f\\x85g é');
  });
});
