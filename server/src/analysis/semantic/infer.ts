// Type inference as stap's pass 2 does it (elaborate.cxx, typeresolution_info):
// every probe and function body is visited with the type its context asks
// for, types flow into variables, array values and indexes, parameters and
// return values, and the visits repeat until nothing new is learned. A clash
// is reported where stap reports it, with the site that first fixed the type
// as related information.

import { Expr, FunctionDecl, ProbeDecl, Script, Statement, withoutSortMark } from '../../syntax/ast';
import { OffsetRange } from '../../syntax/diagnostic';
import { Finding } from '../diagnostic';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { flatBody } from '../../syntax/walk';
import { formatArguments } from './printfFormat';
import { ProbeKind, probeKind } from './probeKinds';
import { globalsOf, LibraryFunctions, libraryFunction, newVariable, scriptFunction } from './symbols';
import { FunctionSymbol, Inferred, isValueType, Slot, ValueType, VariableSymbol } from './types';

/** A tree deeper than this, or a visit count past the budget, and the analysis says nothing. */
const MAX_DEPTH = 1500;
const VISITS_PER_NODE = 64;

export class GiveUp extends Error {}

/**
 * What a body's last visit read of the state the passes change: each slot it
 * found untyped, or not uncertain (with what it found), and each expression
 * type it peeked at. Types and uncertainty only grow, so a visit that would
 * find all of these as they were reads what it read before, does what it did
 * then, and changes nothing: it is skipped.
 */
interface Observed {
  /** Made when first needed: most visits read no slot of the kind, and many peek at nothing. */
  slotsRead?: { slots: Slot[]; types: (ValueType | undefined)[]; uncertain: boolean[] };
  peeks?: { exprs: Expr[]; types: Inferred[] };
  /** It looked up a name before anything declared it: the next visit finds a variable there. */
  unsure: boolean;
}

interface Body {
  locals: Map<string, VariableSymbol>;
  /** In a probe on an alias: the names its body reads but never sets, which the alias's own body may set. */
  fromAlias?: ReadonlySet<string>;
  fn?: FunctionSymbol;
  probe?: ProbeKind;
}

export interface InferenceOptions {
  library?: LibraryFunctions;
  /** Visit every body in every pass, as stap does, even those whose last visit would be repeated to the letter: for the tests that hold the shortcut to it. */
  revisitAll?: boolean;
  /** Tapset code: names it does not declare may be another tapset file's globals. */
  isLibrary?: boolean;
  /** The tapset library's globals (argv, ...); without them, an undeclared array may be one, and is not reported. */
  libraryGlobals?: ReadonlySet<string>;
}

export interface InferenceResult {
  findings: Finding[];
  /** Each variable or function reference (by start offset) and what it refers to. */
  references: Map<number, VariableSymbol | FunctionSymbol>;
  globals: Map<string, VariableSymbol>;
  /** The script's functions, with the types inferred for them. */
  functions: FunctionSymbol[];
  /** The names of the script functions some probe reaches: the ones stap keeps. */
  reached: ReadonlySet<string>;
  /** How many nodes the passes visited. */
  visits: number;
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '<<', '>>', '>>>', '&', '|', '^', '&&', '||']);
const COMPARISON = new Set(['<', '>', '<=', '>=', '==', '!=']);
const COMPOUND_LONG = new Set(['+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '>>>=', '&=', '|=', '^=']);
const STAT_OPERATORS = new Set(['@count', '@sum', '@min', '@max', '@avg', '@variance']);
const PRINT_VALUES = new Set(['print', 'println', 'sprint', 'sprintln']);
const PRINT_DELIMITED = new Set(['printd', 'printdln', 'sprintd', 'sprintdln']);
const PRINT_FORMATTED = new Set(['printf', 'sprintf']);
const STRING_RESULT = new Set(['sprint', 'sprintln', 'sprintd', 'sprintdln', 'sprintf']);

export function inferTypes(script: Script, text: string, options: InferenceOptions = {}): InferenceResult {
  return new Inference(script, text, options).run();
}

class Inference {
  private readonly globals: Map<string, VariableSymbol>;
  /** The script's functions by name: stap overloads a name by its number of parameters. */
  private readonly functions = new Map<string, FunctionSymbol[]>();
  private readonly libraryCache = new Map<string, FunctionSymbol | null>();
  /** Each function's symbol, for the definition stap types (the first of a name and arity). */
  private readonly symbolOf = new Map<FunctionDecl, FunctionSymbol>();
  private readonly exprTypes = new Map<Expr, Inferred>();
  private readonly references = new Map<number, VariableSymbol | FunctionSymbol>();
  private readonly errors = new Map<string, Finding>();
  private readonly bodies = new Map<object, Body>();
  /** By body (its declaration): what its last visit read (see Observed). */
  private readonly observations = new Map<object, Observed>();
  private observed: Observed | undefined;
  private readonly called = new Set<string>();
  private body: Body = { locals: new Map() };
  private changed = false;
  private depth = 0;
  private visits = 0;
  private visitBudget = 0;
  /** The first pass records first references; later passes only add types. */
  private firstPass = true;
  /** Inside `@defined(...)` or code it guards: a missing `$target` there is expected. */
  private guarded = 0;
  /** Each read of a variable, in visiting order, and the local its value is assigned to, if any. */
  private readonly reads = new Map<VariableSymbol, { site: OffsetRange; into?: VariableSymbol }[]>();
  /** The variable the right side being visited is assigned to. */
  private assigning: VariableSymbol | undefined;
  /** Whether an undeclared array was reported: stap prints the first and suppresses the rest as similar. */
  private undeclaredArrayReported = false;

  constructor(
    private readonly script: Script,
    private readonly text: string,
    private readonly options: InferenceOptions,
  ) {
    this.globals = globalsOf(script);
    for (const item of script.items) {
      if (item.kind !== 'function') continue;
      const list = this.functions.get(item.name.text) ?? [];
      if (!list.length) this.functions.set(item.name.text, list);
      // A second definition with the same parameters is a priority overload: stap types the first.
      if (list.some((f) => f.params.length === item.params.length)) continue;
      const symbol = scriptFunction(item);
      list.push(symbol);
      this.symbolOf.set(item, symbol);
    }
  }

  run(): InferenceResult {
    const functions = this.script.items.filter((i): i is FunctionDecl => i.kind === 'function' && i.body?.kind === 'block');
    const probes = this.script.items.filter((i): i is ProbeDecl => i.kind === 'probe' && !!i.body);
    let nodes = 0;
    for (const item of [...functions, ...probes]) nodes += item.end - item.start;
    this.visitBudget = Math.max(100_000, nodes * VISITS_PER_NODE);
    this.globalInitializers();
    this.findCalled(functions, probes);
    // stap visits the functions it keeps (by name), then the probes; functions no probe calls come last here, so that they never move a first-inferred site.
    const byName = (a: FunctionDecl, b: FunctionDecl) => (a.name.text < b.name.text ? -1 : a.name.text > b.name.text ? 1 : 0);
    const reachable = functions.filter((f) => this.called.has(f.name.text)).sort(byName);
    const unreachable = functions.filter((f) => !this.called.has(f.name.text)).sort(byName);
    for (let pass = 0; pass < 50; pass++) {
      this.changed = false;
      for (const fn of reachable) this.visitFunction(fn);
      for (const probe of probes) this.visitProbe(probe);
      for (const fn of unreachable) this.visitFunction(fn);
      this.firstPass = false;
      if (!this.changed) break;
    }
    this.reportUnresolved(reachable, probes);
    const symbols: FunctionSymbol[] = [];
    for (const overloads of this.functions.values()) for (const f of overloads) symbols.push(f);
    return { findings: [...this.errors.values()], references: this.references, globals: this.globals, functions: symbols, reached: this.called, visits: this.visits };
  }

  // ---- bodies ----

  private bodyOf(key: object, make: () => Body): Body {
    let b = this.bodies.get(key);
    if (!b) this.bodies.set(key, (b = make()));
    return b;
  }

  private visitFunction(fn: FunctionDecl): void {
    const symbol = this.symbolOf.get(fn);
    if (!symbol) return; // a second definition of the name and arity: stap picks one
    if (this.wouldRepeat(fn)) return;
    this.body = this.bodyOf(fn, () => ({ locals: new Map(symbol.params.map((p) => [p.name, p])), fn: symbol }));
    if (this.firstPass) symbol.params.forEach((p, i) => this.references.set(fn.params[i].start, p));
    this.observing(fn, () => this.statement(fn.body as Statement));
  }

  private visitProbe(probe: ProbeDecl): void {
    if (this.wouldRepeat(probe)) return;
    this.body = this.bodyOf(probe, () => {
      const kind = probeKind(probe, this.text);
      return { locals: new Map(), probe: kind, fromAlias: kind.builtIn ? undefined : unsetNames(probe) };
    });
    this.observing(probe, () => {
      this.statement(probe.body!);
      if (probe.epilogue) this.statement(probe.epilogue);
    });
  }

  // ---- what a visit reads ----

  /** Whether visiting the body of `key` again would find everything its last visit read as it was. */
  private wouldRepeat(key: object): boolean {
    if (this.firstPass || this.options.revisitAll) return false;
    const o = this.observations.get(key);
    if (!o || o.unsure) return false;
    const read = o.slotsRead;
    if (read) for (let i = 0; i < read.slots.length; i++) if (read.slots[i].type !== read.types[i] || !!read.slots[i].uncertain !== read.uncertain[i]) return false;
    const peeks = o.peeks;
    if (peeks) for (let i = 0; i < peeks.exprs.length; i++) if (this.exprTypes.get(peeks.exprs[i]) !== peeks.types[i]) return false;
    return true;
  }

  private observing(key: object, visit: () => void): void {
    // The last visit's record is refilled: only the first pass makes one per body.
    let o = this.observations.get(key);
    if (o) {
      if (o.slotsRead) o.slotsRead.slots.length = o.slotsRead.types.length = o.slotsRead.uncertain.length = 0;
      if (o.peeks) o.peeks.exprs.length = o.peeks.types.length = 0;
      o.unsure = false;
    } else this.observations.set(key, (o = { unsure: false }));
    this.observed = o;
    visit();
    this.observed = undefined;
  }

  /** A read of a slot's type or uncertainty that can find them otherwise next time. */
  private observe(slot: Slot): void {
    const o = this.observed;
    if (!o) return;
    const read = (o.slotsRead ??= { slots: [], types: [], uncertain: [] });
    read.slots.push(slot);
    read.types.push(slot.type);
    read.uncertain.push(!!slot.uncertain);
  }

  /** A slot's type, as the visit reads it: an untyped slot may have a type next time. */
  private typeOf(slot: Slot): ValueType | undefined {
    if (!slot.type) this.observe(slot);
    return slot.type;
  }

  private globalInitializers(): void {
    for (const item of this.script.items) {
      if (item.kind !== 'global') continue;
      for (const v of item.vars) {
        const symbol = this.globals.get(v.text);
        if (!symbol) continue;
        this.references.set(v.start, symbol);
        if (!v.init) continue;
        const t = v.init.kind === 'string' ? 'string' : v.init.kind === 'number' || (v.init.kind === 'unary' && v.init.children[0]?.kind === 'number') ? 'long' : undefined;
        if (t && !symbol.value.type) symbol.value = { type: t, site: { start: v.start, end: v.end } };
      }
    }
  }

  /** The script functions some probe reaches, through any chain of calls: the ones stap keeps. */
  private findCalled(functions: FunctionDecl[], probes: ProbeDecl[]): void {
    const byName = new Map(functions.map((f) => [f.name.text, f]));
    const queue: string[] = [];
    for (const p of probes) {
      queue.push(...callsOf(p.body!));
      if (p.epilogue) queue.push(...callsOf(p.epilogue));
    }
    while (queue.length) {
      const name = queue.pop()!;
      const fn = byName.get(name);
      if (!fn || this.called.has(name)) continue;
      this.called.add(name);
      queue.push(...callsOf(fn.body as Statement));
    }
  }

  // ---- reporting ----

  private error(at: OffsetRange, code: Finding['code'], message: string, related?: Finding['related']): void {
    const key = `${at.start}:${code}`;
    if (this.errors.has(key)) return;
    this.errors.set(key, { start: at.start, end: at.end, severity: 'error', code, message, related });
  }

  private word(at: OffsetRange): string {
    return this.text.slice(at.start, at.end);
  }

  /** stap's "type mismatch" with the first-inferred site, or "expected ... but found" against a declared type. */
  private mismatch(at: OffsetRange, found: ValueType, slot: Slot, index?: number): void {
    const what = index === undefined ? '' : `index ${index} `;
    if (slot.site && (slot.site.start !== at.start || slot.site.end !== at.end)) {
      this.error(at, 'type-mismatch', `${what}type mismatch (${found}): ${quote(this.word(at))} is used as ${article(found)} here, but its type is ${slot.type}`, [
        { ...slot.site, message: `type ${index === undefined ? '' : `of index ${index} `}was first inferred here (${slot.type})` },
      ]);
    } else {
      this.error(at, 'type-mismatch', `type mismatch: expected ${slot.type} but found ${found}: ${quote(this.word(at))}`);
    }
  }

  /** Gives a slot a type, or reports the clash with the one it has; returns the slot's type. */
  private bind(slot: Slot, t: Inferred, at: OffsetRange, index?: number): Inferred {
    if (t === 'any') {
      if (!slot.uncertain) this.changed = true;
      slot.uncertain = true;
      return this.typeOf(slot) ?? 'any';
    }
    if (!t) return this.typeOf(slot) ?? (slot.uncertain ? 'any' : undefined);
    if (!slot.type) {
      slot.type = t;
      slot.site = { start: at.start, end: at.end };
      this.changed = true;
      return t;
    }
    if (slot.type !== t) this.mismatch(at, t, slot, index);
    return slot.type;
  }

  /**
   * stap drops an assignment to a local nothing reads before it types
   * anything, so a read counts only where its value goes somewhere: not into
   * such a local. Globals are never dropped (stap prints them at the end).
   */
  private firstLiveRead(v: VariableSymbol, seen = new Set<VariableSymbol>()): OffsetRange | undefined {
    if (seen.has(v)) return undefined;
    seen.add(v);
    for (const read of this.reads.get(v) ?? []) {
      if (!read.into || read.into.kind === 'global' || this.firstLiveRead(read.into, seen)) return read.site;
    }
    return undefined;
  }

  private reportUnresolved(functions: FunctionDecl[], probes: ProbeDecl[]): void {
    if (this.options.isLibrary) return;
    const sure = (v: VariableSymbol) => {
      if (v.value.type || v.value.uncertain) return false;
      v.firstReference = this.firstLiveRead(v);
      return !!v.firstReference;
    };
    for (const g of this.globals.values()) {
      if (sure(g) && !(g.arity && g.indexes.some((i) => i.uncertain))) this.unresolved(g);
    }
    for (const fn of functions) {
      const body = this.bodies.get(fn);
      if (body) for (const v of body.locals.values()) if (sure(v)) this.unresolved(v);
    }
    for (const p of probes) {
      const body = this.bodies.get(p);
      // Probes on library aliases share their locals with the alias's body, which this analysis does not visit.
      if (body?.probe?.builtIn) for (const v of body.locals.values()) if (sure(v)) this.unresolved(v);
    }
  }

  private unresolved(v: VariableSymbol): void {
    this.error(v.firstReference!, 'type-unresolved', `unresolved type: nothing in the script says whether ${quote(v.name)} is a number, a string or a statistic; stap -p2 rejects it`);
  }

  // ---- variables ----

  /** The variable a name refers to here: a parameter or local, else a global, else a new local. */
  private symbolFor(id: Expr): VariableSymbol {
    const name = id.text;
    let v = this.body.locals.get(name) ?? this.globals.get(name);
    if (!v) {
      v = newVariable(name, 'local', id);
      this.body.locals.set(name, v);
    }
    return v;
  }

  private variable(id: Expr, write = false): VariableSymbol {
    const v = this.symbolFor(id);
    if (this.firstPass) {
      this.references.set(id.start, v);
      if (!write) {
        const list = this.reads.get(v) ?? [];
        if (!list.length) this.reads.set(v, list);
        list.push({ site: id, into: this.assigning });
      }
    }
    return v;
  }

  /** A variable used whole (not indexed) with the type `t`. */
  private scalar(id: Expr, t: Inferred): Inferred {
    const v = this.variable(id);
    if (v.kind === 'local' && this.maybeLibraryGlobal(v)) return 'any';
    return this.bind(v.value, t, id);
  }

  /** Tapset code can name another tapset file's globals, which this file does not declare. */
  private maybeLibraryGlobal(v: VariableSymbol): boolean {
    if (v.kind !== 'local') return false;
    if (this.body.fromAlias?.has(v.name)) {
      v.value.uncertain = true;
      return true;
    }
    return !!this.options.isLibrary;
  }

  // ---- statements ----

  private statement(s: Statement): void {
    this.enter();
    try {
      this.statementInner(s);
    } finally {
      this.depth--;
    }
  }

  private statementInner(s: Statement): void {
    const kids = s.children;
    switch (s.kind) {
      case 'block':
        for (const c of kids) this.statement(c as Statement);
        return;
      case 'if': {
        const guards = containsDefined(kids[0] as Expr);
        this.expr(kids[0] as Expr, 'long');
        if (guards) this.guarded++;
        for (let i = 1; i < kids.length; i++) this.statement(kids[i] as Statement);
        if (guards) this.guarded--;
        return;
      }
      case 'while':
        this.expr(kids[0] as Expr, 'long');
        this.statement(kids[1] as Statement);
        return;
      case 'for': {
        const parts = kids.slice(0, -1) as Expr[];
        for (const p of parts) {
          // Which of init; cond; step this part is: count the ';' before it.
          const header = this.text.slice(s.start, p.start).replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
          const semicolons = (header.match(/;/g) ?? []).length;
          this.expr(p, semicolons === 1 ? 'long' : undefined);
        }
        this.statement(kids[kids.length - 1] as Statement);
        return;
      }
      case 'foreach':
        this.foreach(s);
        return;
      case 'delete':
        this.deleted(kids[0] as Expr);
        return;
      case 'return':
        if (kids[0]) this.returned(kids[0] as Expr);
        return;
      case 'try': {
        this.statement(kids[0] as Statement);
        if (kids.length === 3) this.scalar(kids[1] as Expr, 'string');
        this.statement(kids[kids.length - 1] as Statement);
        return;
      }
      case 'exprStatement':
        this.expr(kids[0] as Expr, undefined);
        return;
      default:
        return;
    }
  }

  private returned(value: Expr): void {
    const fn = this.body.fn;
    if (!fn) {
      this.expr(value, undefined);
      return;
    }
    const own = this.peek(value);
    const want = this.typeOf(fn.returns);
    if (isValueType(own) && want && own !== want) {
      this.mismatch(value, own, fn.returns);
      this.peekable(value, undefined);
      return;
    }
    const t = this.peekable(value, want);
    if (t === 'stats') this.error(value, 'stat-as-value', `invalid type stats: a statistic is not a value; return one of @count, @sum, @min, @max, @avg of it`);
    else this.bind(fn.returns, t, value);
  }

  private foreach(s: Statement): void {
    const kids = s.children;
    let i = 0;
    let valueVar: Expr | undefined;
    if (kids[i].kind === 'assign') valueVar = (kids[i++] as Expr).children[0];
    const keyNode = kids[i++] as Expr;
    const keys = keyNode.kind === 'tuple' ? keyNode.children : [keyNode];
    const array = kids[i++] as Expr;
    const body = kids[kids.length - 1] as Statement;
    const limit = i < kids.length - 1 ? (kids[i] as Expr) : undefined;
    const keyVar = (k: Expr): Expr => {
      const name = withoutSortMark(k.text);
      return { ...k, text: name, end: k.start + name.length };
    };
    const iterated = this.iterable(array, keys.length);
    keys.forEach((k, n) => {
      const slot = iterated?.indexes[n];
      const v = this.variable(keyVar(k), true);
      if (slot === 'long') this.bind(v.value, 'long', keyVar(k));
      else if (slot && typeof slot === 'object') this.unify(v.value, slot, keyVar(k));
      else v.value.uncertain = true;
    });
    if (limit) this.expr(limit, 'long');
    this.statement(body);
    // The value's variable after the body, as stap binds it: a clash is reported here, in the foreach.
    if (valueVar) {
      const v = this.variable(keyVar(valueVar), true);
      const value = iterated?.value;
      if (value === 'long') this.bind(v.value, 'long', keyVar(valueVar));
      else if (value && typeof value === 'object') {
        if (this.typeOf(value) === 'stats') v.value.uncertain = true;
        else this.unify(v.value, value, keyVar(valueVar));
      } else v.value.uncertain = true;
    }
  }

  /** A loop variable and the array slot it walks: whichever is known types the other, at the loop variable. */
  private unify(variable: Slot, slot: Slot, at: OffsetRange): void {
    const known = this.typeOf(slot);
    if (known) this.bind(variable, known, at);
    else {
      const own = this.typeOf(variable);
      if (own) this.bind(slot, own, at);
    }
    if (slot.uncertain) variable.uncertain = true;
    else this.observe(slot);
  }

  /** What foreach or `in` walks: an array's slots, or a histogram's (long keys and values). */
  private iterable(array: Expr, arity: number): { indexes: (Slot | 'long')[]; value: Slot | 'long' } | undefined {
    let base = array;
    if (base.kind === 'index') {
      // A slice `arr[k, *]`: the fixed keys are typed like any index.
      base = array.children[0];
      if (base.kind === 'identifier') {
        const v = this.arrayVariable(base, array.children.length - 1);
        if (v) array.children.slice(1).forEach((k, n) => k.text !== '*' && this.indexInto(v, k, n));
      }
    }
    if (base.kind === 'atOperator') {
      this.histogram(base);
      return { indexes: Array(arity).fill('long'), value: 'long' };
    }
    if (base.kind !== 'identifier') return undefined;
    const v = this.arrayVariable(base, arity);
    if (!v) return undefined;
    while (v.indexes.length < arity) v.indexes.push({});
    return { indexes: v.indexes.slice(0, arity), value: v.value };
  }

  private deleted(target: Expr): void {
    if (target.kind === 'identifier') {
      this.variable(target);
      return;
    }
    if (target.kind === 'index' && target.children[0].kind === 'identifier') {
      const v = this.arrayVariable(target.children[0], target.children.length - 1);
      if (v) target.children.slice(1).forEach((k, n) => k.text !== '*' && this.indexInto(v, k, n));
      return;
    }
    this.expr(target, undefined);
  }

  // ---- expressions ----

  private enter(): void {
    if (++this.depth > MAX_DEPTH || ++this.visits > this.visitBudget) throw new GiveUp();
  }

  /** The type an expression had when last visited (literals: always), without visiting it; a variable's type as it is now. */
  private peek(e: Expr): Inferred {
    if (e.kind === 'identifier') {
      const v = this.body.locals.get(e.text) ?? this.globals.get(e.text);
      if (!v && this.observed) this.observed.unsure = true;
      return v ? (this.typeOf(v.value) ?? (v.value.uncertain ? 'any' : undefined)) : undefined;
    }
    return this.priorType(e);
  }

  private expr(e: Expr, t: Inferred): Inferred {
    this.enter();
    try {
      return this.exprInner(e, t === 'any' ? undefined : t);
    } finally {
      this.depth--;
    }
  }

  /**
   * `expr` at one of the places that peek at an expression before visiting it
   * (a return value, a ternary's branches, an index, an argument): its type
   * is kept for the next peek. Only these are kept, since
   * keeping every expression's type is much of what a visit costs.
   */
  private peekable(e: Expr, t: Inferred): Inferred {
    const result = this.expr(e, t);
    // Literals and variables are peeked at without it.
    if (e.kind !== 'number' && e.kind !== 'string' && e.kind !== 'identifier') this.exprTypes.set(e, result);
    return result;
  }

  private literal(e: Expr, own: ValueType, t: Inferred): ValueType {
    if (isValueType(t) && t !== own) this.error(e, 'type-mismatch', `type mismatch: expected ${t} but found ${own}: ${quote(this.word(e))}`);
    return own;
  }

  /** A value whose type is fixed by its operator: checked against what the context wants. */
  private fixed(e: Expr, own: ValueType, t: Inferred): ValueType {
    if (isValueType(t) && t !== own) this.error(e, 'type-mismatch', `type mismatch: expected ${t} but found ${own}: this ${quote(e.text)} expression gives ${article(own)}`);
    return own;
  }

  private exprInner(e: Expr, t: Inferred): Inferred {
    const kids = e.children;
    switch (e.kind) {
      case 'number':
        return this.literal(e, 'long', t);
      case 'string':
        return this.literal(e, 'string', t);
      case 'identifier':
        if (e.text === '*') return 'any';
        return this.scalar(e, t);
      case 'paren':
        return kids.length === 1 ? this.expr(kids[0], t) : 'any';
      case 'scriptArg':
        if (e.text === '$#' || e.text === '@#') return this.literal(e, 'long', t);
        // `$N` pastes the argument's text: a number, or a name or anything else; `@N` is a string.
        return e.text.startsWith('@') ? this.literal(e, 'string', t) : 'any';
      case 'target':
        this.target(e);
        return 'any';
      case 'member':
        this.member(e);
        return 'any';
      case 'embeddedExpr':
      case 'error':
      case 'tuple':
        return 'any';
      case 'call':
        return this.call(e, t);
      case 'index':
        return this.index(e, t);
      case 'atOperator':
        return this.atOperator(e, t);
      case 'in': {
        const [tuple, array] = kids;
        const keys = tuple.kind === 'tuple' ? tuple.children : [tuple];
        const it = this.iterable(array, keys.length);
        keys.forEach((k, n) => {
          const slot = it?.indexes[n];
          if (k.kind === 'identifier' && k.text === '*') return;
          if (slot && typeof slot === 'object') this.indexSlot(slot, k, n);
          else this.expr(k, slot === 'long' ? 'long' : undefined);
        });
        return this.fixed(e, 'long', t);
      }
      case 'unary':
        if (e.text === '&') {
          this.expr(kids[0], undefined);
          return this.fixed(e, 'long', t);
        }
        this.expr(kids[0], 'long');
        return this.fixed(e, 'long', t);
      case 'postfix':
        this.expr(kids[0], 'long');
        return this.fixed(e, 'long', t);
      case 'binary':
        return this.binary(e, t);
      case 'ternary': {
        const guards = containsDefined(kids[0]);
        this.expr(kids[0], 'long');
        if (guards) this.guarded++;
        try {
          return this.sameType(kids[1], kids[2], t);
        } finally {
          if (guards) this.guarded--;
        }
      }
      case 'assign':
        return this.assign(e, t);
      default:
        return 'any';
    }
  }

  /**
   * A ternary's two branches (`c ? a : b`), one type: visited with the
   * context's type; without one, whichever is known types the other.
   */
  private sameType(a: Expr, b: Expr, t: Inferred): Inferred {
    let sub: Inferred = t;
    if (sub === 'any') sub = undefined;
    const ta = this.peekable(a, sub);
    if (!sub && isValueType(ta)) sub = ta;
    const tb = this.peekable(b, sub);
    if (!sub && isValueType(tb)) {
      sub = tb;
      this.peekable(a, sub);
    }
    return sub ?? (ta === 'any' || tb === 'any' ? 'any' : undefined);
  }

  /**
   * A comparison's operands, as stap visits them (elaborate.cxx,
   * visit_comparison): the left with the type the right side had before this
   * visit (a literal's own; anything else's from its last visit), then the
   * right with the left's. Returns the type they share, if any.
   */
  private compared(left: Expr, right: Expr): Inferred {
    const prior = this.priorType(right);
    const tl = this.keptNodeType(left, isValueType(prior) ? prior : undefined);
    const tr = this.keptNodeType(right, isValueType(tl) ? tl : undefined);
    // A side first typed by this visit types the other at the next one.
    if (prior === undefined && isValueType(tr) && tl !== tr) this.changed = true;
    return isValueType(tl) ? tl : isValueType(tr) ? tr : tl === 'any' || tr === 'any' ? 'any' : undefined;
  }

  private binary(e: Expr, t: Inferred): Inferred {
    const left = e.children[0];
    const right = e.children[1];
    const op = e.text;
    if (op === '.') {
      this.expr(left, 'string');
      this.expr(right, 'string');
      return this.fixed(e, 'string', t);
    }
    if (op === '=~' || op === '!~') {
      this.expr(left, 'string');
      this.expr(right, 'string');
      return this.fixed(e, 'long', t);
    }
    if (COMPARISON.has(op)) {
      const sub = this.compared(left, right);
      if (sub === 'stats') this.error(left, 'stat-as-value', `invalid type stats: a statistic cannot be compared; compare @count, @sum, @min, @max or @avg of it`);
      return this.fixed(e, 'long', t);
    }
    if (ARITHMETIC.has(op)) {
      this.expr(left, 'long');
      this.expr(right, 'long');
      return this.fixed(e, 'long', t);
    }
    this.expr(left, undefined);
    this.expr(right, undefined);
    return 'any';
  }

  private assign(e: Expr, t: Inferred): Inferred {
    const left = e.children[0];
    const right = e.children[1] as Expr | undefined;
    const op = e.text;
    if (!right) return this.expr(left, t);
    if (op === '<<<') {
      this.lvalue(left, 'stats');
      this.expr(right, 'long');
      return this.fixed(e, 'long', t);
    }
    if (op === '.=') {
      this.lvalue(left, 'string');
      this.expr(right, 'string');
      return this.fixed(e, 'string', t);
    }
    if (COMPOUND_LONG.has(op)) {
      this.lvalue(left, 'long');
      this.expr(right, 'long');
      return this.fixed(e, 'long', t);
    }
    // `=`, as stap visits it (elaborate.cxx, visit_assignment): the left side
    // first, with the type the right side had before this visit (a literal's
    // own; anything else's from its last visit, none in the first pass), then
    // the right side with the left's. So a right side typed only by this visit
    // (`x = f()`, `x = y`) types the left at the next pass, and a site in
    // between may type it first.
    const sub: Inferred = t;
    const prior = this.priorType(right);
    const wanted = sub ?? prior;
    const l = this.lvalue(left, wanted);
    // A left side that clashed with what it was given has no type of its own here.
    const leftType = isValueType(l) && !(isValueType(wanted) && wanted !== l) ? l : undefined;
    const outer = this.assigning;
    this.assigning = left.kind === 'identifier' ? this.symbolFor(left) : undefined;
    let r: Inferred;
    try {
      r = this.keptNodeType(right, sub ?? leftType);
    } finally {
      this.assigning = outer;
    }
    if (r === 'stats') {
      this.error(right, 'stat-as-value', `invalid type stats: ${quote(this.word(right))} is a statistic, not a value: assign @count, @sum, @min, @max or @avg of it, or add to it with <<<`);
      this.uncertainTarget(left);
      return 'any';
    }
    if (r === 'any' && !leftType) this.uncertainTarget(left);
    // The right side's type, first known now, types the left at the next visit: one more pass, unless the left has that type already.
    if (prior === undefined && isValueType(r) && l !== r) this.changed = true;
    return sub ?? leftType ?? (r === 'any' ? 'any' : undefined);
  }

  /** The variable or array an assignment stores into, made uncertain: its type is "long or string by context". */
  private uncertainTarget(left: Expr): void {
    const base = left.kind === 'index' ? left.children[0] : left;
    if (base?.kind !== 'identifier') return;
    const v = this.body.locals.get(base.text) ?? this.globals.get(base.text);
    if (!v) return;
    if (!v.value.uncertain) this.changed = true;
    v.value.uncertain = true;
  }

  /** The type an expression had when last visited (a literal: its own), read before this visit, as stap reads a node's type (a variable's node too: for the right side of `=` and of a comparison). */
  private priorType(e: Expr): Inferred {
    if (e.kind === 'number') return 'long';
    if (e.kind === 'string') return 'string';
    const type = this.exprTypes.get(e);
    if (this.observed) {
      const peeks = (this.observed.peeks ??= { exprs: [], types: [] });
      peeks.exprs.push(e);
      peeks.types.push(type);
    }
    return type;
  }

  /** `expr`, the result kept as this node's type for `priorType` (a variable's too: the node's, not the variable's). */
  private keptNodeType(e: Expr, t: Inferred): Inferred {
    const result = this.expr(e, t);
    if (e.kind !== 'number' && e.kind !== 'string') this.exprTypes.set(e, result);
    return result;
  }

  /** The left side of an assignment: a variable, an array element, or something only stap's later passes judge. */
  private lvalue(left: Expr, t: Inferred): Inferred {
    if (left.kind === 'identifier') {
      const v = this.variable(left, true);
      if (v.kind === 'local' && this.maybeLibraryGlobal(v)) return 'any';
      return this.bind(v.value, t, left);
    }
    if (left.kind === 'index' && left.children[0].kind === 'identifier') {
      const v = this.arrayVariable(left.children[0], left.children.length - 1);
      const keys = left.children;
      if (!v) {
        for (let i = 1; i < keys.length; i++) this.expr(keys[i], undefined);
        return 'any';
      }
      for (let i = 1; i < keys.length; i++) this.indexInto(v, keys[i], i - 1);
      return this.bind(v.value, t, left.children[0]);
    }
    const r = this.expr(left, t === 'any' ? undefined : t);
    return r;
  }

  /**
   * The variable an index, `in` or foreach names, if it is a global array;
   * a local cannot be one: stap reports the first such use.
   */
  private arrayVariable(id: Expr, arity: number): VariableSymbol | undefined {
    const v = this.variable(id);
    if (v.kind === 'global') return v;
    if (!v.value.uncertain) this.changed = true;
    v.value.uncertain = true;
    // A tapset's globals (argv, say) are declared in its own file; stap drops the functions no probe reaches before it looks.
    const reached = !this.body.fn || this.called.has(this.body.fn.name);
    const known = this.options.libraryGlobals;
    if (v.kind === 'local' && known && !known.has(id.text) && !this.options.isLibrary && reached && !this.undeclaredArrayReported) {
      this.undeclaredArrayReported = true;
      this.error(
        { start: id.start, end: id.start + id.text.length },
        'array-undeclared',
        `unresolved arity-${arity} global array ${id.text}, missing global declaration? A local variable cannot be an array: declare it with 'global ${id.text}'`,
      );
    }
    return undefined;
  }

  private indexInto(v: VariableSymbol, key: Expr, n: number): void {
    while (v.indexes.length <= n) v.indexes.push({});
    this.indexSlot(v.indexes[n], key, n);
  }

  /** An index expression and the array's index slot: stap reports a clash at the index, "index N type mismatch". */
  private indexSlot(slot: Slot, key: Expr, n: number): void {
    const own = this.peek(key);
    const want = this.typeOf(slot);
    if (isValueType(own) && want && own !== want) {
      this.mismatch(key, own, slot, n);
      this.peekable(key, undefined);
      return;
    }
    const t = this.peekable(key, want);
    if (t === 'stats') this.error(key, 'stat-as-value', `invalid type stats: a statistic cannot index an array`);
    else this.bind(slot, t, key, n);
  }

  private index(e: Expr, t: Inferred): Inferred {
    const kids = e.children;
    const base = kids[0];
    if (base.kind === 'atOperator') {
      this.histogram(base);
      for (let i = 1; i < kids.length; i++) this.expr(kids[i], 'long');
      return this.fixed(e, 'long', t);
    }
    const v = base.kind === 'identifier' ? this.arrayVariable(base, kids.length - 1) : undefined;
    if (!v) {
      for (let i = 1; i < kids.length; i++) this.expr(kids[i], undefined);
      return 'any';
    }
    for (let i = 1; i < kids.length; i++) this.indexInto(v, kids[i], i - 1);
    return this.bind(v.value, t, base);
  }

  private histogram(h: Expr): void {
    const kids = h.children;
    if (kids.length) this.statistic(kids[0]);
    for (let i = 1; i < kids.length; i++) this.expr(kids[i], 'long');
  }

  /** The operand of `@count(...)` and the histograms: a statistic. */
  private statistic(stat: Expr): void {
    if (stat.kind === 'index' && stat.children[0].kind === 'identifier') {
      const v = this.arrayVariable(stat.children[0], stat.children.length - 1);
      if (!v) return;
      stat.children.slice(1).forEach((k, n) => this.indexInto(v, k, n));
      this.bind(v.value, 'stats', stat.children[0]);
      return;
    }
    this.expr(stat, 'stats');
  }

  private atOperator(e: Expr, t: Inferred): Inferred {
    const name = e.text;
    const kids = e.children;
    if (STAT_OPERATORS.has(name)) {
      if (kids[0]) this.statistic(kids[0]);
      return this.fixed(e, 'long', t);
    }
    if (name === '@defined') {
      this.guarded++;
      try {
        if (kids[0]) this.expr(kids[0], undefined);
      } finally {
        this.guarded--;
      }
      return this.fixed(e, 'long', t);
    }
    if (name === '@entry') return kids[0] ? this.expr(kids[0], t) : 'any';
    // The address of @cast, and of @kderef/@uderef after their size; the rest are literal names.
    if (name === '@cast' && kids[0]) this.expr(kids[0], 'long');
    if ((name === '@kderef' || name === '@uderef') && kids[1]) this.expr(kids[1], 'long');
    if (name === '@cast' || name === '@kderef' || name === '@uderef') return 'any';
    for (const k of kids) if (k.kind !== 'string' && k.kind !== 'number') this.expr(k, undefined);
    return 'any';
  }

  private member(e: Expr): void {
    const kids = e.children;
    this.expr(kids[0], undefined);
    for (let k = 1; k < kids.length; k++) {
      const c = kids[k];
      // `[i]` subscripts are values; `->name` and pretty-printing suffixes are not.
      let i = c.start - 1;
      while (i > 0 && /\s/.test(this.text[i])) i--;
      if (this.text[i] === '[') this.expr(c, 'long');
    }
  }

  private target(e: Expr): void {
    const probe = this.body.probe;
    if (!probe || this.guarded > 0 || !probe.builtIn) return;
    if (probe.procfs && e.text === '$value') return;
    this.error(
      e,
      'target-unresolved',
      `unresolved target-symbol expression: ${quote(e.text)}: a ${probe.name} probe has no target variables${e.text === '$return' ? " ($return exists only in '.return' probes)" : ''}`,
    );
  }

  private call(e: Expr, t: Inferred): Inferred {
    // A call is kept even where its result is dropped: what its arguments read is read.
    const outer = this.assigning;
    this.assigning = undefined;
    try {
      return this.callInner(e, t);
    } finally {
      this.assigning = outer;
    }
  }

  private callInner(e: Expr, t: Inferred): Inferred {
    const name = e.text;
    const args = e.children;
    const at = { start: e.start, end: e.start + name.length };
    if (PRINT_FORMATTED.has(name)) return this.printf(e, at, t);
    if (PRINT_VALUES.has(name) || PRINT_DELIMITED.has(name)) {
      args.forEach((a, i) => {
        if (a.kind === 'atOperator' && (a.text === '@hist_log' || a.text === '@hist_linear')) this.histogram(a);
        else this.expr(a, i === 0 && PRINT_DELIMITED.has(name) ? 'string' : undefined);
      });
      return STRING_RESULT.has(name) ? this.fixed(e, 'string', t) : 'any';
    }
    const fn = this.functionNamed(name, args.length);
    if (this.firstPass && fn) this.references.set(e.start, fn);
    if (!fn) {
      for (const a of args) this.markUncertain(a, this.expr(a, undefined));
      return 'any';
    }
    if (fn.params.length !== args.length) {
      this.error(at, 'function-arity', `arity mismatch found (function ${quote(name)} takes ${fn.params.length} args): this call passes ${args.length}`);
      for (const a of args) this.markUncertain(a, this.expr(a, undefined));
      return 'any';
    }
    args.forEach((a, i) => this.argument(fn, fn.params[i], a, i));
    const returns = this.typeOf(fn.returns);
    if (fn.library && !returns) return 'any';
    if (isValueType(t) && returns && returns !== t) {
      this.mismatch(at, t, fn.returns);
      return returns;
    }
    return this.bind(fn.returns, t, at);
  }

  private argument(fn: FunctionSymbol, param: VariableSymbol, arg: Expr, i: number): void {
    const slot = param.value;
    const want = this.typeOf(slot);
    if (fn.library && !want) {
      this.markUncertain(arg, this.peekable(arg, undefined));
      return;
    }
    const own = this.peek(arg);
    if (isValueType(own) && want && own !== want) {
      const inBody = slot.site && fn.body && slot.site.start >= fn.body.start && slot.site.end <= fn.body.end;
      if (inBody) {
        // stap reports this one inside the function, where the parameter's type came from.
        this.error(
          slot.site!,
          'type-mismatch',
          `index ${i} type mismatch (${slot.type}): parameter ${quote(param.name)} of ${quote(fn.name)} is used as ${article(slot.type!)} here, but a call passes ${article(own)}`,
          [{ start: arg.start, end: arg.end, message: `type of index ${i} was first inferred here (${own})` }],
        );
      } else this.mismatch(arg, own, slot, i);
      this.peekable(arg, undefined);
      return;
    }
    const got = this.peekable(arg, want);
    if (got === 'stats') this.error(arg, 'stat-as-value', `invalid type stats: ${quote(this.word(arg))} is a statistic, not a value: pass @count, @sum, @min, @max or @avg of it`);
    else this.bind(slot, got, arg, i);
  }

  /** A value passed where its type is not known (an unknown function): the variables in it may get their type there. */
  private markUncertain(e: Expr, t: Inferred): void {
    if (isValueType(t)) return;
    let inner = e;
    while (inner.kind === 'paren' && inner.children.length === 1) inner = inner.children[0];
    if (inner.kind === 'identifier') {
      const v = this.body.locals.get(inner.text) ?? this.globals.get(inner.text);
      if (v) v.value.uncertain = true;
    } else if (inner.kind === 'index' && inner.children[0].kind === 'identifier') {
      const v = this.globals.get(inner.children[0].text);
      if (v) v.value.uncertain = true;
    }
  }

  /** The function a call with this many arguments reaches; one of another arity when none fits (an arity mismatch). */
  private functionNamed(name: string, arity: number): FunctionSymbol | undefined {
    const own = this.functions.get(name);
    const fits = own?.find((f) => f.params.length === arity);
    if (fits) return fits;
    const library = this.options.library;
    if (!library) return own?.[0];
    const fromLibrary = this.libraryFunctionNamed(library, name, arity);
    if (!own?.length || (fromLibrary && fromLibrary.params.length === arity)) return fromLibrary;
    return own[0];
  }

  private libraryFunctionNamed(library: LibraryFunctions, name: string, arity: number): FunctionSymbol | undefined {
    const key = `${name}/${arity}`;
    const cached = this.libraryCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const entries = library.get(name);
    let found: FunctionSymbol | undefined;
    if (entries?.length) {
      const parsed = entries.map((e) => libraryFunction(name, e.signature));
      const fitting = parsed.filter((p): p is FunctionSymbol => !!p && p.params.length === arity);
      if (fitting.length === 1) found = fitting[0];
      else if (fitting.length > 1) {
        // Overloads for several kernels or architectures: keep only what they agree on.
        found = fitting[0];
        for (const other of fitting.slice(1)) {
          if (other.returns.type !== found.returns.type) found.returns = {};
          other.params.forEach((p, i) => {
            if (p.value.type !== found!.params[i].value.type) found!.params[i].value = {};
          });
        }
      } else if (parsed.every((p) => !!p)) found = parsed[0]; // every definition takes another count: an arity mismatch
    }
    this.libraryCache.set(key, found ?? null);
    return found;
  }

  private printf(e: Expr, at: OffsetRange, t: Inferred): Inferred {
    const kids = e.children;
    const format = kids[0] as Expr | undefined;
    const argCount = Math.max(kids.length - 1, 0);
    const wanted = format?.kind === 'string' ? formatArguments(format.text) : undefined;
    if (format) this.expr(format, 'string');
    if (wanted && wanted.length !== argCount) {
      this.error(at, 'format-arguments', `Wrong number of args to formatted print operator: the format asks for ${wanted.length}, the call passes ${argCount}`);
    }
    const typed = wanted && wanted.length === argCount ? wanted : undefined;
    for (let i = 1; i < kids.length; i++) this.expr(kids[i], typed?.[i - 1]);
    return e.text === 'sprintf' ? this.fixed(e, 'string', t) : 'any';
  }
}

/** The names a body calls, found once per body (bodyFacts.ts). */
const callsIn = new BodyFacts<readonly string[]>(unmoved);

function callsOf(root: Statement): readonly string[] {
  return callsIn.of(root, () => {
    const names: string[] = [];
    for (const n of flatBody(root).nodes) if (n.kind === 'call') names.push((n as Expr).text);
    return names;
  });
}

/** The names a probe's body reads but never assigns, by probe: kept with it (bodyFacts.ts). */
const unsetIn = new BodyFacts<ReadonlySet<string>>(unmoved);

/**
 * The names a probe body reads but never assigns (nor binds in foreach or
 * catch): a local of such a name may be set by the alias's body. Globals are
 * among them, but a name a global has is never a local, which is all this is
 * asked about.
 */
function unsetNames(probe: ProbeDecl): ReadonlySet<string> {
  return unsetIn.of(probe, () => findUnsetNames(probe));
}

function findUnsetNames(probe: ProbeDecl): ReadonlySet<string> {
  const roots: { read: ReadonlySet<string>; set: ReadonlySet<string> }[] = [];
  for (const r of [probe.body, probe.epilogue]) if (r) roots.push(namesUsed(r));
  const set = (name: string) => roots.some((r) => r.set.has(name));
  const unset = new Set<string>();
  for (const r of roots) for (const name of r.read) if (!set(name)) unset.add(name);
  return unset;
}

/** The names a body reads, and those it sets: found once per body (bodyFacts.ts). */
const namesUsedIn = new BodyFacts<{ read: ReadonlySet<string>; set: ReadonlySet<string> }>(unmoved);

function namesUsed(root: Statement): { read: ReadonlySet<string>; set: ReadonlySet<string> } {
  return namesUsedIn.of(root, () => findNamesUsed(root));
}

function findNamesUsed(root: Statement): { read: ReadonlySet<string>; set: ReadonlySet<string> } {
  const read = new Set<string>();
  const set = new Set<string>();
  for (const n of flatBody(root).nodes) {
    if (n.kind === 'assign' || n.kind === 'foreach' || n.kind === 'try' || (n.kind === 'unary' && (n as Expr).text.length === 2) || n.kind === 'postfix') {
      const first =
        n.kind === 'foreach'
          ? n.children.filter((c) => c.kind === 'identifier' || c.kind === 'tuple' || c.kind === 'assign')
          : n.kind === 'try'
            ? n.children.filter((c) => c.kind === 'identifier')
            : [n.children[0]];
      for (const c of first) {
        for (const id of c.kind === 'tuple' || c.kind === 'assign' ? c.children : [c]) if (id.kind === 'identifier') set.add(withoutSortMark((id as Expr).text));
      }
    }
    if (n.kind === 'identifier') read.add((n as Expr).text);
  }
  return { read, set };
}

function containsDefined(e: Expr): boolean {
  const stack: Expr[] = [e];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'atOperator' && n.text === '@defined') return true;
    for (let i = 0; i < n.children.length; i++) stack.push(n.children[i]);
  }
  return false;
}

const quote = (s: string) => `'${s.length > 40 ? `${s.slice(0, 37)}...` : s}'`;
const article = (t: ValueType) => (t === 'long' ? 'a long' : t === 'string' ? 'a string' : 'a statistic');
