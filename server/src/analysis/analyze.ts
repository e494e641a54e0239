// The analysis of one document version: parse, embedded C facts, findings.
// Computed once per version and shared by every feature. The parse is done at
// once; the checks (embedded C, pass 2) when a feature first asks for their
// results, so that what needs only the tree (a hover on a library function
// right after start-up, the outline) does not wait for them.

import { analyzeRegion, CFacts } from '../embedded/cFacts';
import { explainedByMacro } from '../embedded/macroExplained';
import { CParser } from '../embedded/cParser';
import { KernelHeaders, MAX_INCLUDE_DEPTH } from '../embedded/kernelHeaders';
import { EmbeddedRegion, findEmbeddedRegions } from '../embedded/regions';
import { Script } from '../syntax/ast';
import { ParseOptions } from '../syntax/parser';
import { ParsedText, reparse } from '../syntax/reparse';
import { ScriptArgsSource } from '../syntax/scriptArgs';
import { DEFAULT_TARGET, MacroDefinition, PreprocessorTarget } from '../syntax/preprocessor';
import { Finding } from './diagnostic';
import { checkGuruMode, checkGuruModeAsStapParses, guruReasons } from './guruMode';
import { checkRenamedKernelMacros } from './kernelRenames';
import { readShebang, Shebang } from './shebang';
import { checkRetvalue } from './retvalue';
import { checkDeprecatedThis, checkStapArgs, checkUnusedParams } from './stapArgs';
import { checkUnknownFunctions } from './unknownFunctions';
import { KernelTypes } from '../kernel/kernelTypes';
import { checkCMembers } from './cMembers';
import { checkKernelFunctions } from './kernelFunctions';
import { checkTargetVariables } from './targetVariables';
import { checkEmptyScript } from './emptyScript';
import { checkEmbeddedClose } from './embeddedClose';
import { analyzeSemantics, NO_SEMANTICS, Semantics } from './semantic';
import { LibraryFunctions } from './semantic/symbols';

export interface AnalysisOptions {
  /** Tapset library code: embedded C needs no guru mode. */
  isLibrary?: boolean;
  /** Guru mode declared from outside, like `stap -g`. */
  guru?: boolean;
  /** Only what `stap -p1` reports: parse errors. */
  syntaxOnly?: boolean;
  target?: PreprocessorTarget;
  libraryMacros?: ReadonlyMap<string, MacroDefinition>;
  /** Without it (grammar failed to load) embedded-C checks are skipped. */
  cParser?: CParser;
  /** The tapset library's function names; without them, calls are not checked. */
  libraryFunctions?: ReadonlySet<string>;
  /** The tapset library's functions with their signatures, for the types of calls; without them, library calls are untyped. */
  librarySignatures?: LibraryFunctions;
  /** The tapset library's public globals; without them, arrays used undeclared are not reported. */
  libraryGlobals?: ReadonlySet<string>;
  /** The tapset library's probe aliases by name; without them, probe points are checked only for the values of stap's own. */
  libraryProbes?: ReadonlyMap<string, unknown>;
  /** The target kernel's functions and types; without them, kernel functions, target variables and members are not checked. */
  kernel?: KernelTypes;
  /** The target kernel's headers, when its build tree is known: their function-like macros explain C syntax errors as the script's own do. */
  kernelHeaders?: KernelHeaders;
  /** The script's arguments when known (stap-check --args): pasted in as stap does, and `$N` past the last is an error. */
  scriptArgs?: readonly string[];
  /** Globals given a value on stap's command line (`-G NAME=VALUE`: stap-check -G, the Run command's extra arguments), by name; the `#!` line's are read from the text. */
  globalValues?: readonly string[];
  /** Where `scriptArgs` come from: in the editor, the file's last run (its problems are then warnings). */
  scriptArgsSource?: ScriptArgsSource;
  /** Bounds for an interactive editor; without them (stap-check) everything is checked. */
  limits?: AnalysisLimits;
}

export interface AnalysisLimits {
  /** Longer scripts (in characters) get their parse and syntax errors only. */
  maxCheckedLength: number;
  /** The checks that have not started this many milliseconds after the analysis began are skipped. */
  checkBudgetMs: number;
}

export interface Analysis {
  text: string;
  script: Script;
  /** What the script was parsed with: the next version of the document is parsed again from it. */
  parseOptions: ParseOptions;
  shebang: Shebang | undefined;
  regions: EmbeddedRegion[];
  cFacts: CFacts[];
  /** Reading it (or `cFacts`, `semantics`) runs the checks, once. */
  findings: Finding[];
  /** Symbols and types as stap's pass 2 infers them; absent or empty when the check did not run. */
  semantics?: Semantics;
}

/** Milliseconds, for the budget: not `performance.now()`, whose first call loads a module (milliseconds, at start-up, before the first hover). */
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** What the language server allows one analysis, so that every keystroke gets an answer soon. */
export const EDITOR_LIMITS: AnalysisLimits = { maxCheckedLength: 2 << 20, checkBudgetMs: 1500 };

/** `previous`: the analysis of an earlier version of the same document, whose unedited declarations the parse keeps. */
export function analyze(text: string, options: AnalysisOptions = {}, previous?: ParsedText): Analysis {
  const started = now();
  const parseOptions: ParseOptions = { target: options.target ?? DEFAULT_TARGET, libraryMacros: options.libraryMacros, scriptArgs: options.scriptArgs, scriptArgsSource: options.scriptArgsSource };
  const script = reparse(previous, text, parseOptions);
  const shebang = readShebang(text);
  const regions = findEmbeddedRegions(script, !options.syntaxOnly);
  const findings: Finding[] = script.errors.map((e) => ({
    start: e.start,
    end: e.end,
    severity: e.severity ?? 'error',
    code: 'syntax',
    message: e.message,
    related: e.related ? [e.related] : undefined,
  }));

  const guruInput = { regions, reasons: options.syntaxOnly ? [] : guruReasons(script, regions), shebang, declaredGuru: !!options.guru, isLibrary: !!options.isLibrary };
  findings.push(...checkEmptyScript(script, !!options.isLibrary), ...checkEmbeddedClose(regions));
  if (options.syntaxOnly) {
    findings.push(...checkGuruModeAsStapParses(guruInput, script, text));
    const ms = now() - started;
    return timed({ text, script, parseOptions, shebang, regions, cFacts: [], findings: sortFindings(findings), semantics: NO_SEMANTICS }, { parseMs: ms, checkMs: 0 });
  }

  const timing: Timing = { parseMs: now() - started, checkMs: 0 };
  let checked: Checked | undefined;
  const check = (): Checked => {
    if (checked) return checked;
    const checkStarted = now();
    try {
      // The budget counts the parse too, as when the checks followed it at once.
      return (checked = runChecks(text, script, regions, guruInput, findings, options, () => timing.parseMs + now() - checkStarted));
    } finally {
      timing.checkMs = now() - checkStarted;
    }
  };
  return timed(
    {
      text,
      script,
      parseOptions,
      shebang,
      regions,
      get cFacts() {
        return check().cFacts;
      },
      get findings() {
        return check().findings;
      },
      get semantics() {
        return check().semantics;
      },
    },
    timing,
  );
}

interface Checked {
  cFacts: CFacts[];
  findings: Finding[];
  semantics: Semantics;
}

/** The checks after the parse: its findings and theirs; `elapsed`: milliseconds since the analysis began. */
function runChecks(
  text: string,
  script: Script,
  regions: EmbeddedRegion[],
  guruInput: Parameters<typeof checkGuruMode>[0],
  parseFindings: readonly Finding[],
  options: AnalysisOptions,
  elapsed: () => number,
): Checked {
  // A copy: checks that throw half-way leave the parse's findings as they were, for the next try.
  const findings = [...parseFindings];
  let cFacts: CFacts[] = [];
  let semantics = NO_SEMANTICS;
  const checks: { name: string; run: () => void }[] = [
    {
      name: 'embedded C',
      run: () => {
        cFacts = options.cParser ? regions.map((r) => analyzeRegion(options.cParser!, r)) : [];
        findings.push(...checkStapArgs(cFacts));
        findings.push(...checkRetvalue(cFacts, !!options.isLibrary));
        findings.push(...checkDeprecatedThis(cFacts));
        if (!options.isLibrary) findings.push(...checkUnusedParams(cFacts), ...checkRenamedKernelMacros(cFacts, options.target));
        // A macro the script's C defines (in any block: stap puts them in one C file) may explain what looks wrong before preprocessing.
        const macros = new Set(cFacts.flatMap((f) => f.defines.map((d) => d.text)));
        // A tapset macro's C is the tapset's business.
        let errors = cFacts.flatMap((f) => (f.region.code.expanded ? [] : f.syntaxErrors)).filter((e) => !explainedByMacro(text, e, macros));
        // So may a macro of the kernel headers the blocks include, when the build tree is known:
        // the headers named first, what they include only for what is still unexplained.
        const includes = cFacts.flatMap((f) => f.includes.map((i) => i.text));
        for (let depth = 0; options.kernelHeaders && includes.length && errors.length && depth <= MAX_INCLUDE_DEPTH; depth++) {
          const headerMacros = options.kernelHeaders.functionMacros(includes, depth);
          errors = errors.filter((e) => !explainedByMacro(text, e, headerMacros));
        }
        for (const e of errors) findings.push({ ...e, severity: 'warning', code: 'embedded-c-syntax' });
      },
    },
    { name: 'guru mode', run: () => findings.push(...checkGuruMode(guruInput)) },
    {
      name: 'unknown functions',
      run: () => {
        if (options.libraryFunctions && !options.isLibrary) findings.push(...checkUnknownFunctions(script, text, options.libraryFunctions));
      },
    },
    {
      name: 'kernel functions and types',
      run: () => {
        // Library code is written for many kernels at once, and is not the user's to fix.
        if (!options.kernel || options.isLibrary) return;
        findings.push(...checkKernelFunctions(script, text, options.kernel));
        findings.push(...checkTargetVariables(script, text, options.kernel));
        findings.push(...checkCMembers(cFacts, options.kernel));
      },
    },
    {
      name: 'types',
      run: () => {
        // Library code is elaborated only where a script uses it, and is not the user's to fix.
        if (options.isLibrary) return;
        // stap elaborates only what parses: after a syntax error, its types are not its verdict.
        // In the editor (the one caller with limits) what the rest infers still serves the hints,
        // hovers and colours of a half-typed file; stap-check would only throw it away.
        const parses = !script.errors.some((e) => (e.severity ?? 'error') === 'error');
        if (!parses && !options.limits) return;
        semantics = analyzeSemantics(script, text, {
          library: options.librarySignatures,
          libraryGlobals: options.libraryGlobals,
          libraryProbes: options.libraryProbes,
          isLibrary: !!options.isLibrary,
          guru: guruInput.declaredGuru || !!(guruInput.shebang?.runsStap && guruInput.shebang.guru),
          globalValues: new Set([...(options.globalValues ?? []), ...(guruInput.shebang?.globalValues ?? [])]),
        });
        if (!parses) return;
        findings.push(...semantics.findings);
        dropRetvalueTypedByCallers(findings, semantics);
      },
    },
  ];
  const limits = options.limits;
  const skipped: string[] = [];
  const tooLarge = !!limits && text.length > limits.maxCheckedLength;
  for (const check of checks) {
    if (tooLarge || (limits && elapsed() > limits.checkBudgetMs)) skipped.push(check.name);
    else check.run();
  }
  if (skipped.length)
    findings.push(
      limitedFinding(
        skipped,
        tooLarge ? `this file is ${megabytes(text.length)}, more than the ${megabytes(limits!.maxCheckedLength)} the editor checks in full` : `the analysis took over ${limits!.checkBudgetMs} ms`,
      ),
    );
  return { cFacts, findings: sortFindings(findings), semantics };
}

interface Timing {
  parseMs: number;
  checkMs: number;
}

/**
 * Plain numbers, not a closure: a closure made in analyze() would hold its
 * whole scope (the text, the tree) for as long as the table keeps the entry,
 * which for a weak table is until the next full collection. Checking the
 * tapset library that way took 1.5 times as long and 35 MB more.
 */
const durations = new WeakMap<Analysis, Timing>();

function timed(analysis: Analysis, timing: Timing): Analysis {
  durations.set(analysis, timing);
  return analysis;
}

/** Milliseconds spent on an analysis so far: its parse, and its checks once they ran. */
export function analysisMs(analysis: Analysis): number {
  const timing = durations.get(analysis);
  return timing ? timing.parseMs + timing.checkMs : 0;
}

/** An embedded-C function without a declared type whose callers fix one is typed, as stap types it: no warning. */
function dropRetvalueTypedByCallers(findings: Finding[], semantics: Semantics): void {
  const typed = semantics.functions.filter((f) => f.returns.type && f.body);
  if (!typed.length) return;
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i];
    if (f.code === 'retvalue-without-type' && typed.some((fn) => f.start >= fn.body!.start && f.end <= fn.body!.end)) findings.splice(i, 1);
  }
}

/** Said once per analysis, at the top of the file, so that silence is not read as "no problems". */
function limitedFinding(skipped: string[], why: string): Finding {
  return {
    start: 0,
    end: 0,
    severity: 'information',
    code: 'analysis-limited',
    message: `not checked here: ${skipped.join(', ')}, because ${why}; syntax errors are still shown. stap-check FILE checks everything`,
  };
}

function megabytes(chars: number): string {
  return `${(chars / (1 << 20)).toFixed(1)} MB`;
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.start - b.start || a.end - b.end);
}
