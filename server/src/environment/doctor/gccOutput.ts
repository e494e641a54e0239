// Reads what gcc (run by kbuild, under stap -p4) prints into diagnostics:
//   FILE:LINE:COL: error: MESSAGE
//     235 |         snprintf(..., dev->nmae);
//         |                          ^~~~
//         |                          name
// with the notes that follow an error kept beside it, and modpost's
// `ERROR: modpost: "sym" [...] undefined!`. gcc's columns are display
// columns (a tab moves to the next multiple of 8), not bytes.
// Pure: no VS Code imports, unit-tested on captured real output.

export type GccSeverity = 'error' | 'warning' | 'note';

export interface GccDiagnostic {
  file: string;
  /** 1-based, as gcc prints them. */
  line: number;
  /** 1-based display column. */
  column: number;
  /** Display columns the caret line underlines (`^~~~` is 4); 0 when gcc drew none. */
  width: number;
  severity: GccSeverity;
  message: string;
  /** gcc's fix-it text under the caret (`name` for "did you mean 'name'?"), when it gave one. */
  fixIt?: string;
  /** The `In file included from` chain, innermost first: where the file was included. */
  includedFrom: { file: string; line: number }[];
  notes: GccDiagnostic[];
}

export interface UndefinedSymbol {
  symbol: string;
}

export interface GccOutput {
  diagnostics: GccDiagnostic[];
  /** modpost's unresolved symbols: kernel functions the module calls that the kernel does not export. */
  undefinedSymbols: UndefinedSymbol[];
}

const HEADER = /^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;
const INCLUDED = /^(?:In file included|\s+) from (.+?):(\d+)[,:]$/;
const QUOTE = /^\s*\d*\s\|(.*)$/;
const MODPOST = /^(?:ERROR|WARNING): modpost: "([^"]+)" \[.*\] undefined!/;

export function parseGccOutput(output: string): GccOutput {
  const diagnostics: GccDiagnostic[] = [];
  const undefinedSymbols: UndefinedSymbol[] = [];
  let included: { file: string; line: number }[] = [];
  let last: GccDiagnostic | undefined;
  // gcc prints the include chain once, before the first diagnostic of a header.
  let chainFresh = false;
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const inc = INCLUDED.exec(text);
    if (inc) {
      if (text.startsWith('In file included') || !chainFresh) included = [];
      included.push({ file: inc[1], line: Number(inc[2]) });
      chainFresh = true;
      continue;
    }
    const modpost = MODPOST.exec(text);
    if (modpost) {
      undefinedSymbols.push({ symbol: modpost[1] });
      continue;
    }
    const header = HEADER.exec(text);
    if (!header) continue;
    if (!chainFresh && header[1] !== last?.file) included = [];
    chainFresh = false;
    const severity: GccSeverity = header[4] === 'note' ? 'note' : header[4] === 'warning' ? 'warning' : 'error';
    const d: GccDiagnostic = { file: header[1], line: Number(header[2]), column: Number(header[3]), width: 0, severity, message: header[5], includedFrom: included, notes: [] };
    // The quoted source, the caret line, and a fix-it line may follow.
    const quoted: string[] = [];
    while (i + 1 < lines.length && QUOTE.test(lines[i + 1]) && quoted.length < 3) quoted.push(QUOTE.exec(lines[++i])![1]);
    const caretLine = quoted.find((q) => /^[\s~^]*\^[\s~^]*$/.test(q));
    if (caretLine) {
      d.width = (/\^~*/.exec(caretLine) ?? [''])[0].length;
      const after = quoted[quoted.indexOf(caretLine) + 1]?.trim();
      if (after && /^[A-Za-z_]\w*$/.test(after) && d.message.includes(`did you mean '${after}'`)) d.fixIt = after;
    }
    if (severity === 'note' && last) last.notes.push(d);
    else {
      diagnostics.push(d);
      last = d;
    }
  }
  return { diagnostics, undefinedSymbols };
}

/** A 1-based display column (tabs to the next multiple of 8) as a 0-based character index into the line. */
export function characterOfDisplayColumn(lineText: string, displayColumn: number): number {
  let display = 1;
  for (let i = 0; i < lineText.length; i++) {
    const next = lineText[i] === '\t' ? display + 8 - ((display - 1) % 8) : display + 1;
    if (next > displayColumn) return i;
    display = next;
  }
  return lineText.length;
}
