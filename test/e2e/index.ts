// Entry point that VS Code's extension host loads as `extensionTestsPath`:
// runs the mocha suite inside the real extension host and reports the result.

import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export interface E2eResult {
  passed: string[];
  failed: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  // STAP_E2E_GREP=text runs only the tests whose full title contains it (while working on one).
  if (process.env.STAP_E2E_GREP) mocha.grep(process.env.STAP_E2E_GREP);
  const suiteDir = path.join(__dirname, 'suite');
  // The untrusted-folder suite runs in a window of its own (STAP_E2E_SUITE=untrusted).
  const untrusted = process.env.STAP_E2E_SUITE === 'untrusted';
  for (const f of fs.readdirSync(suiteDir).sort()) {
    if (f.endsWith('.test.js') && (f === 'untrusted.test.js') === untrusted) mocha.addFile(path.join(suiteDir, f));
  }

  const result: E2eResult = { passed: [], failed: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const summary = `${result.passed.length} passed, ${result.failed.length} failed`;
      console.log(summary);
      // The launcher reads this file: the extension host's console is not always visible to it.
      const out = process.env.STAP_E2E_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(summary));
      else resolve();
    });
    runner.on('pass', (t) => result.passed.push(t.fullTitle()));
    runner.on('fail', (t, err) => result.failed.push({ title: t.fullTitle(), error: String(err?.stack ?? err) }));
  });
}
