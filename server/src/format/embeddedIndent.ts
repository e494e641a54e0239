// The opt-in re-indentation of `%{ %}` (systemtap.format.embeddedC = "reindent"): whole lines
// of the C shift together, so that the block's least indented line sits one level inside the
// line of its `%{`, and a `%}` on a line of its own lines up with that line. Only the
// whitespace at the start of a line changes, never that of a line continued from the one before
// it (a backslash at its end: a macro or a string goes on there), and blank lines stay blank.

export interface IndentStyle {
  tabSize: number;
  insertSpaces: boolean;
}

const columns = (ws: string, tabSize: number) => {
  let col = 0;
  for (const ch of ws) col = ch === '\t' ? col - (col % tabSize) + tabSize : col + 1;
  return col;
};

const render = (col: number, style: IndentStyle) => (style.insertSpaces ? ' '.repeat(col) : '\t'.repeat(Math.floor(col / style.tabSize)) + ' '.repeat(col % style.tabSize));

/** Which lines may move: not the first (it holds `%{`), not blank, not continued from the line before. */
function movable(lines: string[]): boolean[] {
  return lines.map((line, i) => i > 0 && line.trim() !== '' && !/\\\s*$/.test(lines[i - 1]));
}

/** `%{ ... %}` with its lines shifted; `lineIndent` is the column of the `%{` line's first character. */
export function reindentEmbedded(text: string, lineIndent: number, style: IndentStyle): string {
  if (!text.endsWith('%}') || !text.includes('\n')) return text;
  const lines = text.split('\n');
  const moves = movable(lines);
  const last = lines.length - 1;
  const closingAlone = /^\s*%\}$/.test(lines[last]);
  let least = Infinity;
  lines.forEach((line, i) => {
    if (moves[i] && !(i === last && closingAlone)) least = Math.min(least, columns(/^[ \t]*/.exec(line)![0], style.tabSize));
  });
  const shift = least === Infinity ? 0 : lineIndent + style.tabSize - least;
  return lines
    .map((line, i) => {
      if (!moves[i]) return line;
      const ws = /^[ \t]*/.exec(line)![0];
      const target = i === last && closingAlone ? lineIndent : columns(ws, style.tabSize) + shift;
      return render(Math.max(0, target), style) + line.slice(ws.length);
    })
    .join('\n');
}

/** The C of a region without what re-indentation may change: the same text to the compiler. */
export function embeddedCodeKey(text: string): string {
  const lines = text.split('\n');
  const moves = movable(lines);
  return lines.map((line, i) => (moves[i] ? line.replace(/^[ \t]+/, '') : line)).join('\n');
}
