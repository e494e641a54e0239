// `stap -G NAME=VALUE`: a global's value from the command line. Read from
// stap-check's options, a script's `#!` line and the Run command's extra
// arguments. stap refuses a -G that is not of its safety pattern before it
// reads the script; at pass 2 a global set this way counts as assigned (no
// "never-assigned global variable"), whatever the value, and a NAME that is
// no global of the script is ignored.

/** stap 4.8's pattern for a -G argument (session.cxx), matched without regard to case. */
export const GLOBAL_OPTION_PATTERN = '^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$';
const PATTERN = new RegExp(GLOBAL_OPTION_PATTERN, 'i');

/** stap's message for a -G argument that is not of its pattern; undefined when it is. */
export function globalOptionProblem(arg: string): string | undefined {
  return PATTERN.test(arg) ? undefined : `Safety pattern mismatch for -G parameter ('${arg}' vs. '${GLOBAL_OPTION_PATTERN}')`;
}

/** The NAME of each well-formed `-G NAME=VALUE` (or `-GNAME=VALUE`) among stap options, as getopt reads them. */
export function globalOptionNames(words: readonly string[], optionsWithArgument: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') break;
    if (w.startsWith('--') || !w.startsWith('-')) continue;
    // A cluster (`-vG x=5`, `-vGx=5`): the first option that takes an argument takes the rest, or the next word.
    for (let j = 1; j < w.length; j++) {
      const c = w[j];
      if (!optionsWithArgument.has(c)) continue;
      const arg = j + 1 < w.length ? w.slice(j + 1) : words[++i];
      if (c === 'G' && arg !== undefined && !globalOptionProblem(arg)) names.push(arg.slice(0, arg.indexOf('=')));
      break;
    }
  }
  return names;
}
