// The `@` operators stap's parser knows, with the arguments each takes.
// Anything else spelled `@name` must be a macro (the script's or a tapset's).

/**
 * `expression`: any expression; `string`: a literal string (adjacent ones
 * concatenate, `@N` counts); `number`: a literal number, maybe negated (stap's
 * expect_number); `identifier`: a name, `$name` included.
 */
export type AtArgument = 'expression' | 'string' | 'number' | 'identifier';

export interface AtOperatorSyntax {
  required: AtArgument[];
  optional?: AtArgument[];
  /** Histogram operators are values only where stap prints or iterates them, or indexes a bucket. */
  histogram?: boolean;
  /** Statistics (`@count`...): stap reads their arguments in a loop of its own (see parseStatistic). */
  statistic?: boolean;
  /** String arguments that must not be empty, by position. */
  nonEmpty?: number[];
  /** What its literal numbers are, said when one is missing. */
  numbers?: string;
}

export const AT_OPERATORS: ReadonlyMap<string, AtOperatorSyntax> = new Map<string, AtOperatorSyntax>([
  ['@cast', { required: ['expression', 'string'], optional: ['string'], nonEmpty: [1] }],
  ['@var', { required: ['string'], optional: ['string'] }],
  ['@entry', { required: ['expression'] }],
  ['@defined', { required: ['expression'] }],
  ['@probewrite', { required: ['identifier'] }],
  ['@const', { required: ['string'], nonEmpty: [0] }],
  ['@perf', { required: ['string'], nonEmpty: [0] }],
  ['@kregister', { required: ['number'], numbers: '@kregister takes a register number' }],
  ['@uregister', { required: ['number'], numbers: '@uregister takes a register number' }],
  ['@kderef', { required: ['number', 'expression'], numbers: '@kderef takes the size in bytes, then the address' }],
  ['@uderef', { required: ['number', 'expression'], numbers: '@uderef takes the size in bytes, then the address' }],
  // Newer than stap 4.8, accepted as later releases do.
  ['@enum', { required: ['string'], optional: ['string'] }],
  ['@enumname', { required: ['string', 'expression'], optional: ['string'] }],
  // Statistics: the statistic, then (for @variance) a bucket count.
  ['@count', { required: ['expression'], statistic: true }],
  ['@sum', { required: ['expression'], statistic: true }],
  ['@min', { required: ['expression'], statistic: true }],
  ['@max', { required: ['expression'], statistic: true }],
  ['@avg', { required: ['expression'], statistic: true }],
  ['@variance', { required: ['expression'], optional: ['number'], statistic: true, numbers: "@variance's second argument is a literal bucket count" }],
  // The statistic, then the start, stop and interval: literal numbers.
  ['@hist_linear', { required: ['expression', 'number', 'number', 'number'], histogram: true, numbers: "@hist_linear's start, stop and interval are literal numbers" }],
  ['@hist_log', { required: ['expression'], histogram: true }],
]);

/** Calls whose first argument may be a whole histogram: stap prints it as a bar chart. */
export const PRINTS_HISTOGRAMS = new Set(['print', 'println', 'sprint', 'sprintln']);

/**
 * stap's built-in print functions: parsed by rules of their own, not as
 * calls. `format`: a literal format string comes first; `delimiter`: a
 * literal delimiter, then at least two values; `values`: at least one value.
 */
export const PRINT_FUNCTIONS: ReadonlyMap<string, 'format' | 'delimiter' | 'values' | 'any'> = new Map([
  ['print', 'values'],
  ['sprint', 'values'],
  ['println', 'any'],
  ['sprintln', 'any'],
  ['printf', 'format'],
  ['sprintf', 'format'],
  ['printd', 'delimiter'],
  ['sprintd', 'delimiter'],
  ['printdln', 'delimiter'],
  ['sprintdln', 'delimiter'],
] as const);

/** Statistics a foreach may sort by: `foreach (k in arr @max-)`. */
export const SORT_AGGREGATES = new Set(['@count', '@sum', '@min', '@max', '@avg', '@variance']);

/**
 * The operators stap 4.8 warns about when a macro takes their name
 * ("macro redefines built-in operator"); `@define` itself cannot be redefined.
 */
export const BUILT_IN_OPERATOR_NAMES = new Set([
  'cast',
  'defined',
  'probewrite',
  'entry',
  'perf',
  'var',
  'avg',
  'count',
  'sum',
  'min',
  'max',
  'hist_linear',
  'hist_log',
  'const',
  'variance',
  'kregister',
  'uregister',
  'kderef',
  'uderef',
]);
