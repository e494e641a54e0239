// What the checks learn about one body (a probe's or function's body, an
// epilogue, a probe point's condition) or one declaration, a point or a
// `%{ %}` block, kept for the next analysis. Trees do not change after the
// parse, and a declaration an edit leaves alone is the same object in the
// next tree, so a fact found once stays true. A declaration after the edit is
// copied d characters on (reparse.ts): the facts of its parts are moved with
// it, so that typing in one probe does not make every check walk all the
// probes below it again.

import { Expr, Statement } from './ast';

type CodeNode = Statement | Expr;

/** Every kind of fact, by its slot in a body's record. */
const kinds: BodyFacts<unknown>[] = [];

/** One record per body, one slot per kind of fact: one weak entry per body, however many kinds there are (weak tables slow the collector down). */
const records = new WeakMap<object, unknown[]>();

/**
 * One kind of fact per body. `move` gives the fact of the copy from the
 * original's: `d` is how far the copy moved, `nodes` the copy's nodes in
 * preorder (parents first, children in order), as the original's were; an
 * empty list for what is not a body of statements and expressions (a
 * declaration, a point, a `%{ %}` block). `nodes` is undefined when the body
 * was moved where it is: its nodes are the ones the fact knows, and the fact
 * may be changed where it is too (no one holds the old tree).
 */
export class BodyFacts<T> {
  private readonly slot = kinds.length;

  constructor(readonly move: (fact: T, d: number, nodes: readonly CodeNode[] | undefined) => T) {
    kinds.push(this as BodyFacts<unknown>);
  }

  get(root: object): T | undefined {
    return records.get(root)?.[this.slot] as T | undefined;
  }

  /** The fact of `root`, made by `make` the first time it is asked for, and kept. */
  of(root: object, make: () => T): T {
    const known = this.get(root);
    return known !== undefined ? known : this.set(root, make());
  }

  set(root: object, fact: T): T {
    let record = records.get(root);
    if (!record) records.set(root, (record = []));
    record[this.slot] = fact;
    return fact;
  }
}

/** Facts that hold wherever the body stands: names, counts, positions in preorder. */
export const unmoved = <T>(fact: T): T => fact;

/**
 * A fact's offset ranges moved `d` on: the same objects, changed, when the
 * body was moved where it is (`nodes` undefined: the tree it was in is given
 * up, and its facts with it); copies otherwise, for the original still holds.
 */
export function movedRanges<T extends { start: number; end: number }>(list: readonly T[], d: number, nodes: readonly CodeNode[] | undefined): readonly T[] {
  if (nodes) return movedAll(list, (r) => ({ ...r, start: r.start + d, end: r.end + d }));
  for (const r of list as T[]) {
    r.start += d;
    r.end += d;
  }
  return list;
}

/** Each element of a list moved by `move`; an empty list is itself. */
export function movedAll<T>(list: T[], move: (x: T) => T): T[];
export function movedAll<T>(list: readonly T[], move: (x: T) => T): readonly T[];
export function movedAll<T>(list: readonly T[], move: (x: T) => T): readonly T[] {
  return list.length === 0 ? list : list.map(move);
}

/**
 * `to` is `from` moved `d` characters on, with `nodes` its nodes in preorder
 * (undefined when `to` is `from`, moved where it is): every fact of `from`
 * is carried over.
 */
export function moveBodyFacts(from: object, to: object, d: number, nodes: readonly CodeNode[] | undefined): void {
  const record = records.get(from);
  if (!record) return;
  if (from === to) {
    for (let slot = 0; slot < record.length; slot++) if (record[slot] !== undefined) record[slot] = kinds[slot].move(record[slot], d, undefined);
    return;
  }
  const moved: unknown[] = [];
  for (let slot = 0; slot < record.length; slot++) if (record[slot] !== undefined) moved[slot] = kinds[slot].move(record[slot], d, nodes);
  records.set(to, moved);
}

/** Whether two lists of what a fact depended on (options, names) are the same, element by element. */
export function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
