// The `@` operators stap's parser knows, with the arguments each takes.
// Anything else spelled `@name` must be a macro (the script's or a tapset's).

export type AtArgument = 'expression' | 'string' | 'number' | 'identifier';

export interface AtOperatorSyntax {
  required: AtArgument[];
  optional?: AtArgument[];
  /** Histogram operators are values only where stap prints or iterates them, or indexes a bucket. */
  histogram?: boolean;
}

export const AT_OPERATORS: ReadonlyMap<string, AtOperatorSyntax> = new Map<string, AtOperatorSyntax>([
  ['@cast', { required: ['expression', 'string'], optional: ['string'] }],
  ['@var', { required: ['string'], optional: ['string'] }],
  ['@entry', { required: ['expression'] }],
  ['@defined', { required: ['expression'] }],
  ['@probewrite', { required: ['identifier'] }],
  ['@const', { required: ['string'] }],
  ['@perf', { required: ['string'] }],
  ['@kregister', { required: ['expression'] }],
  ['@uregister', { required: ['expression'] }],
  ['@kderef', { required: ['expression', 'expression'] }],
  ['@uderef', { required: ['expression', 'expression'] }],
  // Newer than stap 4.8, accepted as later releases do.
  ['@enum', { required: ['string'], optional: ['string'] }],
  ['@enumname', { required: ['string', 'expression'], optional: ['string'] }],
  // Statistics.
  ['@count', { required: ['expression'] }],
  ['@sum', { required: ['expression'] }],
  ['@min', { required: ['expression'] }],
  ['@max', { required: ['expression'] }],
  ['@avg', { required: ['expression'] }],
  ['@variance', { required: ['expression'], optional: ['number'] }],
  ['@hist_linear', { required: ['expression', 'expression', 'expression', 'expression'], histogram: true }],
  ['@hist_log', { required: ['expression'], histogram: true }],
]);

/** Calls whose arguments may be whole histograms. */
export const PRINTS_HISTOGRAMS = new Set(['print', 'println']);
