// The kernel checks over the installed examples, judged by the running
// kernel's own word: every function said to be missing is absent from
// /proc/kallsyms (read here with a plain pattern, not by the reader under
// test), and no member is judged inside embedded C's #if/#else arms, which
// the examples use to serve kernels old and new. Skipped without BTF or
// without the examples.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { loadCParser } from '../../server/src/embedded/cParser';
import { loadKernel, MACHINE_SOURCES } from '../../server/src/kernel/loadKernel';

const EXAMPLES = '/usr/share/systemtap/examples';
const files = listFiles(EXAMPLES, ['.stp']).filter((f) => !f.includes('/tapset/'));
const skip =
  (!fs.existsSync(`${MACHINE_SOURCES.sysBtfDir}/vmlinux`) && 'this kernel has no BTF (/sys/kernel/btf/vmlinux)') ||
  (files.length === 0 && 'no SystemTap examples installed (systemtap-doc)') ||
  (!fs.existsSync(MACHINE_SOURCES.kallsyms) && 'no /proc/kallsyms');

test('kernel findings on the installed examples agree with /proc/kallsyms, and skip #if arms', { skip }, async () => {
  const loaded = await loadKernel({ kernelTypes: '', kernelRelease: os.release() });
  assert.equal(loaded.state, 'loaded');
  if (loaded.state !== 'loaded') return;
  await loaded.symbols;
  const kallsyms = fs.readFileSync(MACHINE_SOURCES.kallsyms, 'latin1');
  const cParser = await loadCParser();
  const libraryMacros = loadLibraryMacros(findTapsetDir());
  const wrong: string[] = [];
  let functionFindings = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const f of analyze(text, { kernel: loaded.types, cParser, libraryMacros, guru: true }).findings) {
      const name = text.slice(f.start, f.end);
      if (f.code === 'kernel-function-unknown') {
        functionFindings++;
        // A text symbol of that name, or a clone of it (`name.isra.0`), in the kernel's own list.
        if (new RegExp(`^\\S+ [tT] ${name}(?:\\.\\S*)?(?:\\t\\[\\S+\\])?$`, 'm').test(kallsyms)) wrong.push(`${file}: ${name} is in kallsyms`);
      }
      if (f.code === 'c-member-unknown') {
        const before = text.slice(0, f.start);
        const opened = (before.match(/^[ \t]*#[ \t]*if/gm) ?? []).length;
        const closed = (before.match(/^[ \t]*#[ \t]*endif/gm) ?? []).length;
        if (opened > closed) wrong.push(`${file}: ${name} judged inside #if`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  // The examples are old: some of the functions they probe are gone from any recent kernel.
  assert.ok(functionFindings > 0, 'no missing function found: the check did not run');
});
