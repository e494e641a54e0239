// Scripts with stap's pass-2 warning for a global that is read and never
// assigned, each with the places stap 4.8 prints it (`LINE:COL NAME`, the
// global's declaration), or none. test/oracle/semantic.test.ts holds stap to
// these places, test/unit/semantic.test.ts holds our analysis to them.

export interface WarningCase {
  name: string;
  text: string;
  /** `-G NAME=VALUE` options, given to stap and to us alike. */
  globalOptions?: string[];
  /** `LINE:COL NAME` of each "never-assigned global variable" warning, in the text's order. */
  neverAssigned: string[];
}

export const NEVER_ASSIGNED_GLOBALS: WarningCase[] = [
  { name: 'a scalar only read', text: 'global a\nprobe begin { println(a + 1) }\n', neverAssigned: ['1:8 a'] },
  { name: 'a global with an initializer', text: 'global a = 1\nprobe begin { println(a) }\n', neverAssigned: [] },
  { name: 'an array only iterated', text: 'global arr\nprobe begin { foreach (k in arr) println(k + 1) }\n', neverAssigned: ['1:8 arr'] },
  { name: 'an array deleted, then read', text: 'global d\nprobe begin { delete d; println(d[1] + 1) }\n', neverAssigned: [] },
  { name: 'an array iterated in order (stap counts the sort as a write)', text: 'global b\nprobe begin { foreach (k in b-) println(k + 1) }\n', neverAssigned: [] },
  { name: 'assigned in a function no probe calls', text: 'global w\nfunction set() { w = 1 }\nprobe begin { println(w + 1) }\n', neverAssigned: ['1:8 w'] },
  { name: 'assigned in a function a probe calls', text: 'global w\nfunction set() { w = 1 }\nprobe begin { set(); println(w + 1) }\n', neverAssigned: [] },
  { name: 'read in a probe condition', text: 'global on\nprobe begin if (on) { println(1) }\n', neverAssigned: ['1:8 on'] },
  { name: 'read only in a function no probe calls', text: 'global x\nfunction get() { return x }\nprobe begin { println(1) }\n', neverAssigned: [] },
  { name: 'incremented', text: 'global n\nprobe begin { n++; println(n) }\n', neverAssigned: [] },
  { name: 'a statistic only read', text: 'global s\nprobe begin { println(@count(s)) }\n', neverAssigned: ['1:8 s'] },
  { name: 'a histogram of nothing', text: 'global h\nprobe begin { print(@hist_log(h)) }\n', neverAssigned: ['1:8 h'] },
  { name: 'a parameter of the same name', text: 'global p\nfunction f(p) { return p }\nprobe begin { println(f(1)) }\n', neverAssigned: [] },
  { name: 'assigned in a script alias a probe uses', text: 'global g\nprobe my = begin { g = 1 }\nprobe my { println(g) }\n', neverAssigned: [] },
  { name: 'read in a script alias a probe uses', text: 'global g\nprobe my = begin { println(g) }\nprobe my { println(1) }\n', neverAssigned: ['1:8 g'] },
  { name: 'read in a script alias no probe uses', text: 'global g\nprobe my = begin { println(g) }\nprobe begin { println(1) }\n', neverAssigned: [] },
  { name: 'a catch variable', text: 'global m\nprobe begin { try { error("x") } catch (m) { println(m) } }\n', neverAssigned: [] },
  { name: 'foreach keys and values', text: 'global k, v, c\nprobe begin { c[1] = 1; foreach (v = k in c) println(k) }\nprobe end { println(k, v) }\n', neverAssigned: [] },
  { name: 'read under an @defined guard', text: 'global t\nprobe begin { println(@defined($x) ? t : 0) }\n', neverAssigned: ['1:8 t'] },
  { name: 'a compound assignment', text: 'global q\nprobe begin { q[1] += 1; println(q[1]) }\n', neverAssigned: [] },
  { name: 'assigned in a probe that never fires', text: 'global z\nprobe begin { println(z + 1) }\nprobe never { z = 2 }\n', neverAssigned: [] },
  { name: 'a global stap -G sets', text: 'global x, y\nprobe begin { println(x + y) }\n', globalOptions: ['x=5'], neverAssigned: ['1:11 y'] },
  { name: 'a -G for a name that is no global', text: 'global x\nprobe begin { println(x + 1) }\n', globalOptions: ['y=5', 'X=1'], neverAssigned: ['1:8 x'] },
  { name: 'a -G for an array', text: 'global a\nprobe begin { println(a[1] + 1) }\n', globalOptions: ['a=abc'], neverAssigned: [] },
  { name: 'assigned only in a probe whose optional points find nothing', text: 'global g\nprobe timer.ms(0)?, begin.foo! { g = 1 }\nprobe end { println(g + 1) }\n', neverAssigned: ['1:8 g'] },
  { name: 'assigned in a probe whose optional point finds its probe', text: 'global g\nprobe timer.ms(1)?, begin.foo! { g = 1 }\nprobe end { println(g + 1) }\n', neverAssigned: [] },
  {
    name: 'assigned in a probe with an optional point that finds nothing and one that stays',
    text: 'global g\nprobe timer.ms(0)?, end { g = 1 }\nprobe begin { println(g + 1) }\n',
    neverAssigned: [],
  },
  { name: 'two of several', text: 'global a, b, c\nglobal d\nprobe begin { b = 1; println(a + b + c + d) }\n', neverAssigned: ['1:8 a', '1:14 c', '2:8 d'] },
];

export interface ElidedCase {
  name: string;
  text: string;
  /** `LINE:COL` of each place stap 4.8 prints "Probe '...' has been elided" (each place once), in the text's order. */
  elided: string[];
}

/** Probes stap elides for a body that does nothing, or keeps. Where it elides all of them, it also says "no probes found". */
export const ELIDED_PROBES: ElidedCase[] = [
  { name: 'an empty body', text: 'probe begin { }\n', elided: ['1:1'] },
  { name: 'a null statement', text: 'probe begin { ; }\n', elided: ['1:1'] },
  { name: 'nested empty blocks and null statements', text: 'probe begin { ;;; {;} }\nprobe end { println(1) }\n', elided: ['1:1'] },
  { name: 'an if around nothing', text: 'probe begin { if (x) {} else {} }\n', elided: ['1:1'] },
  { name: 'loops around nothing', text: 'probe begin { while (1) {} }\nprobe end { for (;;) ; }\n', elided: ['1:1', '2:1'] },
  { name: 'try and catch of nothing', text: 'probe begin { try {} catch {} }\n', elided: ['1:1'] },
  { name: 'an expression that does nothing', text: 'probe begin { -x; !y; (z) }\n', elided: ['1:1'] },
  { name: 'two points, one keyword', text: 'probe begin, end {}\n', elided: ['1:1'] },
  { name: 'timer and procfs probes', text: 'probe timer.ms(100) { }\nprobe procfs("f").read { }\n', elided: ['1:1', '2:1'] },
  { name: 'an optional point stap finds nothing for is not a probe', text: 'probe timer.ms(0)?, begin { }\n', elided: ['1:1'] },
  { name: 'one of two probes', text: 'probe begin {}\nprobe end { println(1) }\n', elided: ['1:1'] },
  { name: 'through a script alias, at the point that names it', text: 'probe my = begin { }\nprobe my = end { }\nprobe my { }\n', elided: ['3:7'] },
  { name: 'through a chain of aliases, at the last that names one', text: 'probe a = b { }\nprobe b = timer.s(1) { }\nprobe a { }\n', elided: ['1:11'] },
  { name: 'an alias and a point of its own', text: 'probe my = begin { }\nprobe my, end { }\n', elided: ['2:1', '2:7'] },
  { name: 'an alias with a body', text: 'probe my = begin { println(1) }\nprobe my { }\n', elided: [] },
  { name: 'an alias with an epilogue', text: 'probe my += begin { println(1) }\nprobe my { }\n', elided: [] },
  { name: 'next is kept', text: 'probe begin { next }\n', elided: [] },
  { name: 'a body that prints', text: 'probe begin { println(1) }\n', elided: [] },
];
