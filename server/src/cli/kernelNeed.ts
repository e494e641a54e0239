// Whether a script has anything the kernel's type data checks: a kernel
// probe point (`kernel.`, `kprobe.`, `module(`), a `$` target variable,
// `@cast`, or embedded C (its struct members). Reading the data costs most
// of a short stap-check run, so a script with none of these goes without.
// A cheap look at the text: a false "yes" only costs the load.

const KERNEL_USES = /\b(?:kernel|kprobe)\s*\.|\bmodule\s*\(|\$\$?[A-Za-z_]|@cast\b|%\{/;

export function needsKernelData(text: string): boolean {
  return KERNEL_USES.test(text);
}
