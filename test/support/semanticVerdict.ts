// Our pass-2 verdict in the form stap gives it: each error with its line and
// column, in the order of the text.
import { analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { LibraryFunctions } from '../../server/src/analysis/semantic/symbols';
import { LineIndex } from '../../server/src/syntax/lineIndex';

export interface SemanticError {
  line: number;
  column: number;
  code: string;
  message: string;
}

/** A few library functions as the index gives them, for tests that need no installed library. */
export const TEST_LIBRARY: LibraryFunctions = new Map(
  ['pid:long()', 'execname:string()', 'user_string:string(addr:long)', 'error(msg:string)', 'exit()', 'strlen:long(s:string)', 'task_current:long()', 'log(msg:string)'].map((signature) => [
    signature.replace(/[:(].*$/, ''),
    [{ signature }],
  ]),
);

/** The library's public globals a script may use undeclared, as the index gives them. */
export const TEST_LIBRARY_GLOBALS: ReadonlySet<string> = new Set(['argv']);

/** Some of the library's probe aliases, by name as the index gives them. */
export const TEST_LIBRARY_PROBES: ReadonlyMap<string, unknown> = new Map(
  [
    'init',
    'oneshot',
    'json_data',
    'input.char',
    'input.line',
    'nfs.fop.aio_read',
    'nfs.fop.aio_read.return',
    'nfs.fop.aio_write',
    'nfs.fop.aio_write.return',
    'syscall.open',
    'syscall.open.return',
    'syscall.close',
    'syscall.close.return',
    'syscall.exit',
    'syscall.exit.return',
    'timer.profile',
    'vm.pagefault',
  ].map((name) => [name, [{ name }]]),
);

/** The errors stap's pass 2 would give (our findings of severity error, and unknown functions and probe points, which stap makes errors). */
export function semanticErrors(text: string, options: Partial<AnalysisOptions> = {}): SemanticError[] {
  const librarySignatures = options.librarySignatures ?? TEST_LIBRARY;
  const libraryGlobals = 'libraryGlobals' in options ? options.libraryGlobals : TEST_LIBRARY_GLOBALS;
  const libraryProbes = 'libraryProbes' in options ? options.libraryProbes : TEST_LIBRARY_PROBES;
  const findings = analyze(text, { libraryFunctions: new Set(librarySignatures.keys()), ...options, librarySignatures, libraryGlobals, libraryProbes }).findings;
  const lines = new LineIndex(text);
  return findings
    .filter((f) => f.severity === 'error' || f.code === 'function-unknown' || f.code === 'probe-point-unknown')
    .map((f) => {
      const at = lines.positionAt(f.start);
      return { line: at.line + 1, column: at.character + 1, code: f.code, message: f.message };
    });
}
