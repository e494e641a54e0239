// Reads stap's error output into messages with locations. stap prints
//   semantic error: MESSAGE: identifier 'foo' at /path/s.stp:2:7
//   parse error: MESSAGE
//           saw: operator '}' at /path/s.stp:2:1
//   WARNING: MESSAGE: identifier 'z' at :2:37
// followed by `source:` and caret lines. An empty file name means the file
// named last. Pure: no VS Code imports, unit-tested on real stap output.

export type StapSeverity = 'error' | 'warning';

export interface StapLocation {
  file: string;
  /** 1-based, as stap prints them; the column counts bytes, not characters. */
  line: number;
  column: number;
  /** The token stap points at as it is in the source (`foo`, `"a b"` with its quotes), empty when it names none. */
  token: string;
}

export interface StapMessage {
  severity: StapSeverity;
  message: string;
  location?: StapLocation;
  /** Follow-ups stap prints after an error, e.g. where a type was first inferred. */
  related: { message: string; location: StapLocation }[];
}

const HEADER = /^(parse error|semantic error|WARNING|ERROR): (.*)$/;
// `MESSAGE: identifier 'foo' at FILE:LINE:COL`, the token part optional in the text.
const LOCATED = /^(.*?):? ?(identifier|keyword|operator|number|string|embedded-code|junk|directive)(?: '((?:[^']|'(?! at ))*)')? at (.*):(\d+):(\d+)$/;
const PARSE_LOCATION = /^\s+(?:saw|at): (\S+)(?: '((?:[^']|'(?! at ))*)')? at (.*):(\d+):(\d+)$/;
// Messages that add to the error before them instead of standing alone.
const FOLLOW_UP = /^type was first inferred here/;

export function parseStapOutput(output: string): StapMessage[] {
  const messages: StapMessage[] = [];
  let lastFile = '';
  const locate = (file: string, line: string, column: string, kind: string, text = ''): StapLocation => {
    if (file) lastFile = file;
    // stap prints a string token's contents; in the source it has its quotes.
    const token = kind === 'string' ? `"${text}"` : text;
    return { file: file || lastFile, line: Number(line), column: Number(column), token };
  };
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const header = HEADER.exec(lines[i]);
    if (!header) continue;
    const severity: StapSeverity = header[1] === 'WARNING' ? 'warning' : 'error';
    let message = header[2];
    let location: StapLocation | undefined;
    const located = LOCATED.exec(message);
    if (located) {
      message = located[1];
      location = locate(located[4], located[5], located[6], located[2], located[3]);
    } else {
      const next = PARSE_LOCATION.exec(lines[i + 1] ?? '');
      if (next) {
        location = locate(next[3], next[4], next[5], next[1], next[2]);
        i++;
      }
    }
    const previous = messages[messages.length - 1];
    if (previous?.location && location && FOLLOW_UP.test(message)) {
      previous.related.push({ message: message.trim(), location });
      continue;
    }
    // `missing ... debuginfo` and the like explain the located error before them.
    if (!location && previous?.location && severity === 'error' && previous.severity === 'error' && /^while resolving probe point/.test(previous.message)) {
      previous.message += `: ${message}`;
      continue;
    }
    messages.push({ severity, message: message.trim(), location, related: [] });
  }
  return messages;
}

/** stap's 1-based byte column on a line, as a 0-based character (UTF-16) index into that line. */
export function characterColumn(lineText: string, byteColumn: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  const prefix = bytes.subarray(0, Math.max(0, byteColumn - 1)).toString('utf8');
  return Math.min(prefix.length, lineText.length);
}
