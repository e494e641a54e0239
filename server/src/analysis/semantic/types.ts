// The values of stap's script language as pass 2 types them, and the places
// ("slots") a type is inferred for: a variable, an array's value and each of
// its indexes, a function's parameters and its return value.

import { OffsetRange } from '../../syntax/diagnostic';

export type ValueType = 'long' | 'string' | 'stats';

/**
 * What an expression's type is: known, not known yet (`undefined`), or `any`:
 * something the analysis cannot type without the kernel's data (a `$target`,
 * a call of a function it does not know), which takes whatever type its
 * context asks for, as stap's debuginfo would.
 */
export type Inferred = ValueType | 'any' | undefined;

export const isValueType = (t: Inferred): t is ValueType => t === 'long' || t === 'string' || t === 'stats';

export interface Slot {
  type?: ValueType;
  /** Where the type was first inferred; none when declared (`a:long`) or declared in the library. */
  site?: OffsetRange;
  /** Something untypeable flows into it: its type may come from there, so "unresolved" is not said. */
  uncertain?: boolean;
}

export type SymbolKind = 'global' | 'local' | 'param';

export interface VariableSymbol {
  name: string;
  kind: SymbolKind;
  /** The declaration: `global x`, a parameter; a local's first reference. */
  declared: OffsetRange;
  value: Slot;
  /** Number of indexes; 0 for a scalar; undefined until a use says. */
  arity?: number;
  aritySite?: OffsetRange;
  indexes: Slot[];
  /** The first reference in stap's order of visits: where "unresolved type" is said. */
  firstReference?: OffsetRange;
  /** Declared `global a[N]`: an array whatever its uses. */
  declaredArray?: boolean;
}

export interface FunctionSymbol {
  name: string;
  /** The script's declaration; library functions have none. */
  declared?: OffsetRange;
  /** The range of the body, to tell a parameter's type inferred inside it from one inferred by a caller. */
  body?: OffsetRange;
  params: VariableSymbol[];
  returns: Slot;
  library: boolean;
}

/** A type as stap and the hover write it: `long`, `string`, `stats`, `long[string, long]`. */
export function describeVariable(v: VariableSymbol): string {
  const value = v.value.type ?? 'unknown';
  if (!v.arity) return value;
  const keys = Array.from({ length: v.arity }, (_, i) => v.indexes[i]?.type ?? 'unknown');
  return `${value}[${keys.join(', ')}]`;
}

export function describeFunction(f: FunctionSymbol): string {
  const params = f.params.map((p) => `${p.name}:${p.value.type ?? 'unknown'}`).join(', ');
  return `${f.name}:${f.returns.type ?? (f.library ? 'unknown' : 'void')}(${params})`;
}
