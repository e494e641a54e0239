// What stap-check writes: text for people and logs.

/**
 * Control characters shown as escapes (`\0`, `\n`, `\x1b`): a file name or a
 * message quoting a script must not reach a terminal or a log raw, nor split
 * a line of text output in two.
 */
export function escapeControl(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0) return '\\0';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
