// dist/stapTee.js: `stapTee --out FILE [--name NAME] -- COMMAND ARGS...`.
// A stap task runs it with VS Code's own executable as Node; see tee.ts.

import * as os from 'os';
import { parseTeeArgs, runTee, TeeOptions } from './tee';

let options: TeeOptions;
try {
  options = parseTeeArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`stapTee: ${(e as Error).message}\nusage: stapTee --out FILE [--name NAME] -- COMMAND ARGS...\n`);
  process.exit(2);
}
runTee(options).then(
  ({ code, signal }) => {
    // End as the command ended: by its signal (handlers are gone by now), or with its code.
    if (signal) {
      process.kill(process.pid, signal);
      // Should the signal be held back, the shell's convention says the same.
      setTimeout(() => process.exit(128 + (os.constants.signals[signal] ?? 0)), 100);
    } else process.exit(code ?? 1);
  },
  (e) => {
    process.stderr.write(`stapTee: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
