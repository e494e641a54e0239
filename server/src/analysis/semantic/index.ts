// stap's pass 2 (elaboration) as far as it needs no kernel: symbols, array
// arity, types, and the errors stap gives for them. Shared by the server and
// stap-check; no LSP here. Where the analysis cannot be sure (a `$target`
// without kernel data, a function it does not know) it says nothing.

import { ProbePoint, Script } from '../../syntax/ast';
import { Finding } from '../diagnostic';
import { checkArity } from './arity';
import { checkElision } from './elision';
import { checkElidedProbes, elidedProbePoints } from './elidedProbes';
import { checkForeachMutation } from './foreachMutation';
import { GiveUp, inferTypes } from './infer';
import { checkLvalues } from './lvalues';
import { checkNoProbes } from './noProbes';
import { checkProbePoints, optionalPointsFindingNothing } from './probePoints';
import { checkProbeContext } from './probeContext';
import { checkRegexLiterals } from './regexLiterals';
import { checkStatRules } from './statRules';
import { checkNeverAssignedGlobals } from './neverAssignedGlobals';
import { LibraryFunctions } from './symbols';
import { FunctionSymbol, VariableSymbol } from './types';

export interface SemanticOptions {
  /** The tapset library's functions with their signatures; without it, library calls are not typed. */
  library?: LibraryFunctions;
  isLibrary?: boolean;
  /** The tapset library's public globals; without them, an array used undeclared is not reported (it may be one). */
  libraryGlobals?: ReadonlySet<string>;
  /** The tapset library's probe aliases by name; without them, only the values of stap's own probe points are checked. */
  libraryProbes?: ReadonlyMap<string, unknown>;
  /** Guru mode, declared (`stap -g`) or asked for by the `#!` line: netfilter points take any names. */
  guru?: boolean;
  /** Globals `stap -G NAME=VALUE` sets: assigned, for the never-assigned warning. */
  globalValues?: ReadonlySet<string>;
}

export interface Semantics {
  findings: Finding[];
  /** Each variable or function reference, by its start offset: for hover. */
  references: ReadonlyMap<number, VariableSymbol | FunctionSymbol>;
  /** The script's functions, with the types inferred for them. */
  functions: readonly FunctionSymbol[];
}

export const NO_SEMANTICS: Semantics = { findings: [], references: new Map(), functions: [] };

export function analyzeSemantics(script: Script, text: string, options: SemanticOptions = {}): Semantics {
  try {
    const result = inferTypes(script, text, options);
    const arity = checkArity(script, result.globals);
    const mutations = options.isLibrary ? [] : checkForeachMutation(script, result.globals, result.reached);
    const lvalues = options.isLibrary ? [] : checkLvalues(script, text, result.reached);
    const points = options.isLibrary ? [] : checkProbePoints(script, text, { libraryProbes: options.libraryProbes, guru: options.guru });
    const context = options.isLibrary ? [] : checkProbeContext(script, text, result.reached);
    const stats = options.isLibrary ? [] : checkStatRules(script, text, result.reached, result.globals, options.libraryGlobals);
    const regexes = options.isLibrary ? [] : checkRegexLiterals(script, text, result.reached);
    const elided = options.isLibrary ? [] : checkElision(script, text, result.reached, result.globals, options.libraryGlobals);
    let dropped: ReadonlySet<ProbePoint> | undefined;
    const droppedPoints = () => (dropped ??= optionalPointsFindingNothing(script, text, { libraryProbes: options.libraryProbes, guru: options.guru }));
    const unassigned = options.isLibrary ? [] : checkNeverAssignedGlobals(script, text, result.globals, options.globalValues, droppedPoints);
    const elidedPoints = options.isLibrary ? [] : elidedProbePoints(script, droppedPoints);
    const elidedProbes = checkElidedProbes(elidedPoints, droppedPoints);
    // A point stap cannot resolve stops it before it elides anything.
    const noProbes = options.isLibrary ? [] : checkNoProbes(script, text, droppedPoints, points.some((f) => f.severity === 'error') ? [] : elidedPoints);
    return {
      findings: [...noProbes, ...points, ...elidedProbes, ...arity, ...mutations, ...lvalues, ...context, ...stats, ...regexes, ...elided, ...unassigned, ...result.findings],
      references: result.references,
      functions: result.functions,
    };
  } catch (e) {
    // Too deep or too large to finish in time: better nothing than a partial verdict.
    if (e instanceof GiveUp || e instanceof RangeError) return NO_SEMANTICS;
    throw e;
  }
}
