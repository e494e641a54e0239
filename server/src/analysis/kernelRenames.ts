// Kernel macros that a kernel release renamed: the C of a guru script that
// still uses the old name compiles on older kernels only, and on newer ones
// fails in pass 4 ("implicit declaration of function"), after minutes of
// building. Linux 4.7 renamed the SNMP counter macros for softirq context,
// `*_BH`, to `__*` (and those of the ICMP message counters, atomic in any
// context, to the plain name), in the net-next series "net: snmp: kill
// various STATS_BH()" (2016). Checked against the sources: 4.6.2 still uses
// ICMP_INC_STATS_BH, ICMPMSGIN_INC_STATS_BH and UDP_INC_STATS_BH; later
// headers define only __ICMP_INC_STATS, ICMPMSGIN_INC_STATS, __TCP_INC_STATS,
// __UDP_INC_STATS, __NET_INC_STATS, __IP_UPD_PO_STATS; out-of-tree modules
// switch spellings at KERNEL_VERSION(4, 7, 0).

import { CFacts } from '../embedded/cFacts';
import { DEFAULT_TARGET, PreprocessorTarget } from '../syntax/preprocessor';
import { compareVersions } from '../syntax/versions';
import { Finding } from './diagnostic';

/** The release that made the change, as `%( kernel_v < "4.7" %)` compares it. */
export const SNMP_RENAME_RELEASE = '4.7';

/** Old name -> the name from SNMP_RENAME_RELEASE on. */
export const SNMP_RENAMES: ReadonlyMap<string, string> = new Map([
  ['SNMP_INC_STATS_BH', '__SNMP_INC_STATS'],
  ['SNMP_ADD_STATS_BH', '__SNMP_ADD_STATS'],
  ['SNMP_INC_STATS64_BH', '__SNMP_INC_STATS64'],
  ['SNMP_ADD_STATS64_BH', '__SNMP_ADD_STATS64'],
  ['SNMP_UPD_PO_STATS_BH', '__SNMP_UPD_PO_STATS'],
  ['SNMP_UPD_PO_STATS64_BH', '__SNMP_UPD_PO_STATS64'],
  ['IP_INC_STATS_BH', '__IP_INC_STATS'],
  ['IP_ADD_STATS_BH', '__IP_ADD_STATS'],
  ['IP_UPD_PO_STATS_BH', '__IP_UPD_PO_STATS'],
  ['NET_INC_STATS_BH', '__NET_INC_STATS'],
  ['NET_ADD_STATS_BH', '__NET_ADD_STATS'],
  ['ICMP_INC_STATS_BH', '__ICMP_INC_STATS'],
  ['ICMPMSGIN_INC_STATS_BH', 'ICMPMSGIN_INC_STATS'],
  ['TCP_INC_STATS_BH', '__TCP_INC_STATS'],
  ['UDP_INC_STATS_BH', '__UDP_INC_STATS'],
  ['UDP6_INC_STATS_BH', '__UDP6_INC_STATS'],
  ['IP6_INC_STATS_BH', '__IP6_INC_STATS'],
  ['IP6_ADD_STATS_BH', '__IP6_ADD_STATS'],
  ['IP6_UPD_PO_STATS_BH', '__IP6_UPD_PO_STATS'],
  ['ICMP6_INC_STATS_BH', '__ICMP6_INC_STATS'],
]);

/** Whether the kernel `%( kernel_v %)` is evaluated for has the new names. */
export function hasSnmpRenames(target: PreprocessorTarget): boolean {
  // kernel_v as the preprocessor reads it: the release without its -suffix.
  return compareVersions(target.kernelRelease.replace(/-.*$/, ''), SNMP_RENAME_RELEASE) >= 0;
}

/**
 * Old names called in embedded C compiled for a kernel that lacks them. Quiet
 * where the script copes already: C that defines the old name itself, a call
 * under `#if`/`#ifdef` (the script's own version test), code in a `%( %)`
 * branch not taken for this kernel (not in the tree at all), and the C of
 * library macros.
 */
export function checkRenamedKernelMacros(facts: CFacts[], target: PreprocessorTarget = DEFAULT_TARGET): Finding[] {
  if (!hasSnmpRenames(target)) return [];
  const defined = new Set(facts.flatMap((f) => f.defines.map((d) => d.text)));
  const findings: Finding[] = [];
  for (const f of facts) {
    if (f.region.code.expanded) continue;
    for (const call of f.macroCalls) {
      const renamed = SNMP_RENAMES.get(call.text);
      if (!renamed || call.conditional || defined.has(call.text)) continue;
      findings.push({
        start: call.start,
        end: call.end,
        severity: 'warning',
        code: 'kernel-macro-renamed',
        message:
          `${call.text} does not exist on the target kernel ${target.kernelRelease}: Linux ${SNMP_RENAME_RELEASE} renamed it ${renamed}, and the C fails to compile (pass 4). ` +
          `Use ${renamed}, or both spellings under %( kernel_v < "${SNMP_RENAME_RELEASE}" %? ... %: ... %)`,
        replacement: renamed,
      });
    }
  }
  return findings;
}

/**
 * The `%{ %}` text for kernels from SNMP_RENAME_RELEASE on: every old name
 * in it replaced, as whole words.
 */
export function withNewSnmpNames(code: string): string {
  return code.replace(/\b[A-Z0-9_]+_BH\b/g, (name) => SNMP_RENAMES.get(name) ?? name);
}
