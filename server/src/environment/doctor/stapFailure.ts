// Tells stap's failures that come from the machine (no kernel build tree, no
// debuginfo, a kernel release it cannot find, no permission to load a module)
// from errors in a script, and says for each what fixes it. A machine problem
// is never an error in the user's script: the editor shows it once, as a
// notification that links the environment report.
// Pure: unit-tested on stap 4.8's real messages.

export interface StapFailure {
  /** What is wrong, in a sentence. */
  cause: string;
  /** The command (or step) that fixes it. */
  fix: string;
  /** The line of stap's output that said so. */
  evidence: string;
}

interface Rule {
  pattern: RegExp;
  explain: (m: RegExpExecArray, buildDir: string | undefined) => Omit<StapFailure, 'evidence'>;
}

/** The headers package for a release, as Debian and Ubuntu name it. */
export const headersFix = (release: string) => `sudo apt install linux-headers-${release}   (or: sudo stap-prep)`;

const RULES: Rule[] = [
  {
    // Checking "/lib/modules/R/build/.config" failed with error: No such file or directory
    pattern: /^Checking "(.*?\/lib\/modules\/([^/]+)\/build)\/\.config" failed with error: (.*)$/m,
    explain: (m) => ({ cause: `no kernel build tree for ${m[2]}: ${m[1]} is missing (${m[3]})`, fix: headersFix(m[2]) }),
  },
  {
    pattern: /^Checking "(.*?)\/\.config" failed with error: (.*)$/m,
    explain: (m) => ({
      cause: `${m[1]} is not a usable kernel build tree (.config: ${m[2]})`,
      fix: 'Point systemtap.kernelRelease at a kernel build tree (a folder with .config and Makefile), or install the headers: sudo stap-prep',
    }),
  },
  {
    pattern: /^ERROR: kernel release isn't found in "(.*)"$/m,
    explain: (m) => ({
      cause: `${m[1]} is not a kernel build tree (it has no include/config/kernel.release)`,
      fix: 'Set systemtap.kernelRelease to a release or to a kernel build tree, e.g. /usr/src/linux-headers-RELEASE',
    }),
  },
  {
    pattern: /^semantic error: missing (\S+) kernel\/module debuginfo.*?(?:under '(.*)')?$/m,
    explain: (m) => ({
      cause: `no debuginfo for the ${m[1]} kernel${m[2] ? ` under ${m[2]}` : ''}: probes on kernel functions and $target variables need it`,
      fix: 'sudo apt install linux-image-$(uname -r)-dbg, or export DEBUGINFOD_URLS=https://debuginfod.debian.net (or: sudo stap-prep)',
    }),
  },
  {
    pattern: /^ERROR: (?:Couldn't insert module|couldn't insert module).*?: (Operation not permitted|Key was rejected by service|Required key not available)/m,
    explain: (m) =>
      /key/i.test(m[1])
        ? {
            cause: `the kernel refused the unsigned module (${m[1]}): lockdown or module signature enforcement`,
            fix: 'Disable Secure Boot, or enrol a machine owner key (mokutil --import) and sign stap modules with it',
          }
        : { cause: `loading the module was not permitted (${m[1]})`, fix: 'Run as root (systemtap.run.sudo: "auto"), or join the stapdev group: sudo usermod -aG stapdev $USER' },
  },
  {
    pattern: /^ERROR: You are trying to run systemtap as a normal user\.[^\n]*|^ERROR: [^\n]*not a member of the groups? ["']?stap(?:dev|usr)/m,
    explain: () => ({
      cause: 'you may not load SystemTap modules: not root, and not in the stapdev or stapusr group',
      fix: 'Run with sudo (systemtap.run.sudo: "auto"), or: sudo usermod -aG stapdev $USER (then log in again)',
    }),
  },
];

/** The machine problem stap's output names, if any. */
export function explainStapFailure(stderr: string, buildDir?: string): StapFailure | undefined {
  for (const rule of RULES) {
    const m = rule.pattern.exec(stderr);
    if (m) return { ...rule.explain(m, buildDir), evidence: m[0].trim() };
  }
  return undefined;
}

/** Whether a located stap error is really the machine's (missing debuginfo), not the script's. */
export function isEnvironmentMessage(message: string): boolean {
  return /missing \S+ kernel\/module debuginfo|Kernel function symbol table missing/.test(message);
}
