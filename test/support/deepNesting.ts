// Deeply nested constructs, generated (never stored), shared by the nesting
// tests (test/unit/nesting.test.ts) and their stap oracle
// (test/oracle/nesting.test.ts).
import { MAX_NESTING } from '../../server/src/syntax/parser';

/** After every deep construct: a function that must still be found, and an error that must still be reported. */
export const AFTER = '\nfunction after() { return 1 }\nprobe end { x = ; }\n';

export interface DeepCase {
  name: string;
  /** The depth at which the unchanged code overflowed the stack. */
  overflowedAt: number;
  /** Whether the construct nests with recursion in the parser, so that MAX_NESTING applies. */
  limited: boolean;
  make: (n: number) => string;
}

export const CASES: DeepCase[] = [
  { name: 'parentheses', overflowedAt: 2000, limited: true, make: (n) => `probe begin { x = ${'('.repeat(n)}1${')'.repeat(n)} }` },
  { name: 'braces', overflowedAt: 2700, limited: true, make: (n) => `probe begin { ${'{'.repeat(n)}${'}'.repeat(n)} }` },
  { name: 'else-if chain', overflowedAt: 4200, limited: false, make: (n) => `probe begin { x = 1\n  if (x) ; ${'else if (x) ; '.repeat(n)}\n}` },
  { name: 'binary chain', overflowedAt: 5700, limited: false, make: (n) => `probe begin { x = 1${' + 1'.repeat(n - 1)} }` },
  { name: 'parentheses in embedded C', overflowedAt: 4300, limited: false, make: (n) => `function c:long(x:long) %{\n  STAP_RETVALUE = ${'('.repeat(n)}STAP_ARG_x${')'.repeat(n)};\n%}` },
];

const depth = 200;

/** Nesting at depths real code reaches, each alone and followed by an error: stap -p1 and we must agree. */
export const REALISTIC_CASES = [
  ...CASES.map((c) => ({ name: c.name, text: c.make(depth) })),
  { name: 'nested calls', text: `probe begin { x = ${'f('.repeat(depth)}1${')'.repeat(depth)} }\nfunction f(a) { return a }` },
  { name: 'nested ifs without braces', text: `probe begin { ${'if (x) '.repeat(depth)}x = 1 }` },
  { name: 'conditional chain', text: `probe begin { x = ${'a ? b : '.repeat(depth)}c }` },
  { name: 'assignment chain', text: `probe begin { ${'x = '.repeat(depth)}1 }` },
  { name: 'prefix chain', text: `probe begin { x = ${'- ! ~ '.repeat(depth)}1 }` },
  // Deeper than our limit, but within stap's: stap accepts, we warn, and neither reports an error.
  { name: 'parentheses past our limit', text: CASES[0].make(MAX_NESTING + 100) },
  { name: 'braces past our limit', text: CASES[1].make(MAX_NESTING + 100) },
].flatMap((c) => [
  { name: c.name, text: c.text + '\n' },
  { name: `${c.name}, then an error`, text: c.text + AFTER },
]);
