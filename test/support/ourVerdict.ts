// Our parser's verdict in the form stap gives it: the first error, and its line.
import { analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { LineIndex } from '../../server/src/syntax/lineIndex';

export interface OurVerdict {
  /** 1-based line of the first error; undefined when we accept the script. */
  line: number | undefined;
  /** 1-based column of the first error. */
  column: number | undefined;
  message: string | undefined;
}

/** As `stap -p1` judges: syntax only. */
export function ourVerdict(text: string, options: Pick<AnalysisOptions, 'guru' | 'libraryMacros' | 'scriptArgs'>): OurVerdict {
  const [first] = analyze(text, { ...options, syntaxOnly: true }).findings.filter((f) => f.severity === 'error');
  if (!first) return { line: undefined, column: undefined, message: undefined };
  const at = new LineIndex(text).positionAt(first.start);
  return { line: at.line + 1, column: at.character + 1, message: first.message };
}
