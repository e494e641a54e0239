// `npm run fuzz [CASES] [SEED] [hostile]`: the parser fuzz test at full size
// (100,000 cases); with `hostile`, mutations toward deep nesting and macro blow-up.
import * as fs from 'fs';
import { fuzz } from '../test/support/fuzz';

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const hostile = process.argv[4] === 'hostile';
console.log(`fuzzing the parser: ${cases} ${hostile ? 'hostile ' : ''}cases, seed ${seed}`);
const started = Date.now();
const { failures, slowestMs } = fuzz(cases, seed, (done) => console.log(`  ${done} cases`), hostile);
console.log(`${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, slowest parse ${slowestMs.toFixed(1)} ms`);
if (failures.length) {
  const file = `fuzz-failures-${seed}.json`;
  fs.writeFileSync(file, JSON.stringify(failures, null, 2));
  console.log(`${failures.length} failures (inputs in ${file}); first: case ${failures[0].caseNumber}: ${failures[0].problem}`);
}
console.log(`${cases - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
