// A line's shape: its text with the numbers taken out. Lines of the same
// shape (`12 reads 3 writes`, `15 reads 0 writes`) are samples of one series,
// and each number's place (a hole) is a field, named from the words around it.
// Pure: no VS Code here.

export interface LineShape {
  /** The text between the holes: one more than the values. */
  parts: string[];
  values: number[];
}

// A number stands alone: not the digits of a word (`cpu0`, `eth1`, `sda2`,
// `rcuos/0`, `kworker-3`), nor a hexadecimal address (an identity, not a measure). A unit may
// follow it (`12%`, `1000199us`).
const NUMBER = /0[xX][0-9a-fA-F]+|(?<![\w.])(?<![A-Za-z_][/-])-?\d+(?:\.\d+)?/g;

/** The shape of a line, or undefined when it holds no number. */
export function lineShape(line: string): LineShape | undefined {
  const parts: string[] = [];
  const values: number[] = [];
  let text = '';
  let last = 0;
  for (const m of line.matchAll(NUMBER)) {
    if (/^0[xX]/.test(m[0])) continue;
    const value = Number(m[0]);
    if (!Number.isFinite(value)) continue;
    text += line.slice(last, m.index);
    parts.push(text);
    text = '';
    values.push(value);
    last = m.index + m[0].length;
  }
  if (values.length === 0) return undefined;
  parts.push(text + line.slice(last));
  return { parts, values };
}

/** What identifies a shape: lines with equal keys form one series (columns padded to another width too). */
export function shapeKey(shape: LineShape): string {
  return shape.parts
    .map((p) => p.replace(/\s+/g, ' '))
    .join('\u0000')
    .trim();
}

/** The shape as people read it: `# reads # writes`. */
export function shapeText(shape: LineShape): string {
  return shape.parts.join('#').trim();
}

const LABEL_BEFORE = /([A-Za-z_][\w./()-]*)\s*[:=]\s*$/;
const WORD_AFTER = /^\s+%?\s*([A-Za-z_][\w/()-]*)|^%\s*([A-Za-z_][\w/()-]*)/;
const WORD_BEFORE = /([A-Za-z_][\w./()-]*)[^A-Za-z_0-9]*$/;

/**
 * A name for each hole: the label before it (`reads: 3`, `min:12`, `x=5`),
 * else the word after it (`3 reads`, `12 % idle`), else the word before it
 * (`contended 7`), else `field N`. Names repeat as `name 2`.
 */
export function fieldNames(parts: readonly string[]): string[] {
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i + 1 < parts.length; i++) {
    const before = parts[i];
    const after = parts[i + 1];
    const label = LABEL_BEFORE.exec(before)?.[1];
    const wordAfter = label ? undefined : WORD_AFTER.exec(after);
    const wordBefore = label || wordAfter ? undefined : WORD_BEFORE.exec(before)?.[1];
    let name = tidy(label ?? wordAfter?.[1] ?? wordAfter?.[2] ?? wordBefore ?? '') || `field ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) name = `${name} ${n}`;
    names.push(name);
  }
  return names;
}

/** A name without the punctuation that glued it to its number: `ls(` is `ls`. */
function tidy(word: string): string {
  return word.replace(/^[^A-Za-z0-9_]+|[^A-Za-z0-9_)]+$/g, '');
}
