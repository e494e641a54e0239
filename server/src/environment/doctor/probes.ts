// The environment doctor's probes: what a run of stap needs from the machine
// and the target kernel, each read from the file system under a root (`/`,
// or a fake tree in the tests), never by running anything but `stap -V`
// (which the caller supplies). Editor-agnostic: used by the client's report
// and before each run.

import * as fs from 'fs';
import * as path from 'path';
import { EnvironmentReport, Finding } from './findings';
import { headersFix } from './stapFailure';

export interface RuntimeStatus {
  ok: boolean;
  /** When it fails: gcc's first errors in stap's runtime or the kernel headers. */
  errors: string[];
  /** ISO time of the test compile. */
  testedAt: string;
}

export interface Host {
  /** Prefix of every absolute path read: `/` on a real machine. */
  root: string;
  env: NodeJS.ProcessEnv;
  uid: number;
  gids: readonly number[];
  /** `uname -r` of this machine. */
  thisRelease: string;
  /** stap's version line (`4.8/0.188`), undefined when stap cannot be run. */
  stapVersion: () => Promise<string | undefined>;
  /** Whether an executable of that name is on PATH. */
  hasExecutable: (name: string) => boolean;
  /** The cached result of the runtime test compile for a release and stap version. */
  runtimeStatus: (release: string, stapVersion: string, buildDir: string) => RuntimeStatus | undefined;
}

export interface DoctorSettings {
  /** `systemtap.kernelRelease`: empty for this machine, a release, or a build tree. */
  kernelRelease: string;
  sudo: 'auto' | 'always' | 'never';
  /** How `systemtap.stapPath` names stap, for the messages. */
  stapPath: string;
}

export interface Target {
  release: string;
  buildDir: string;
  isThisMachine: boolean;
}

export function resolveTarget(kernelRelease: string, host: Pick<Host, 'root' | 'thisRelease'>): Target {
  if (kernelRelease.includes('/')) {
    // Debian's header packages write the upstream version in kernel.release
    // (6.1.192) and the release `uname -r` gives (6.1.0-57-amd64) in utsrelease.h.
    const uts = /UTS_RELEASE\s+"([^"]+)"/.exec(readText(host.root, path.join(kernelRelease, 'include/generated/utsrelease.h')) ?? '')?.[1];
    const release = uts || readText(host.root, path.join(kernelRelease, 'include/config/kernel.release'))?.trim() || '(unknown release)';
    return { release, buildDir: kernelRelease, isThisMachine: release === host.thisRelease };
  }
  const release = kernelRelease || host.thisRelease;
  return { release, buildDir: `/lib/modules/${release}/build`, isThisMachine: release === host.thisRelease };
}

export async function probeEnvironment(settings: DoctorSettings, host: Host): Promise<EnvironmentReport> {
  const target = resolveTarget(settings.kernelRelease, host);
  const distro = distribution(host.root);
  const stapVersion = await host.stapVersion();
  const findings: Finding[] = [
    stapFinding(stapVersion, settings.stapPath, distro),
    {
      id: 'kernel',
      title: 'Target kernel',
      severity: 'info',
      detail: `${target.release}${target.isThisMachine ? " (this machine's)" : ` (from systemtap.kernelRelease; this machine runs ${host.thisRelease})`}, build tree ${target.buildDir}`,
    },
    headersFinding(target, host, distro),
    debuginfoFinding(target, host, distro),
    btfFinding(target, host),
    permissionFinding(settings.sudo, host),
    ...kernelSecurityFindings(target, host),
    runtimeFinding(target, stapVersion, host),
  ];
  return { ...target, stapVersion, findings };
}

type Distro = 'debian' | 'fedora' | 'other';

function distribution(root: string): Distro {
  const osRelease = readText(root, '/etc/os-release') ?? '';
  const ids = [/^ID=(.*)$/m.exec(osRelease)?.[1], /^ID_LIKE=(.*)$/m.exec(osRelease)?.[1]].join(' ').replace(/"/g, '');
  if (/\b(debian|ubuntu)\b/.test(ids)) return 'debian';
  if (/\b(fedora|rhel|centos)\b/.test(ids)) return 'fedora';
  return 'other';
}

function stapFinding(version: string | undefined, stapPath: string, distro: Distro): Finding {
  if (version) return { id: 'stap', title: 'SystemTap', severity: 'ok', detail: `stap ${version} (${stapPath})` };
  const install = distro === 'debian' ? 'sudo apt install systemtap' : distro === 'fedora' ? 'sudo dnf install systemtap' : 'Install systemtap from your distribution';
  return { id: 'stap', title: 'SystemTap', severity: 'error', detail: `"${stapPath}" could not be run.`, fix: `${install}, or set systemtap.stapPath in your user settings` };
}

function headersFinding(target: Target, host: Host, distro: Distro): Finding {
  const title = 'Kernel headers (build tree)';
  const missing = ['.config', 'Makefile'].filter((f) => !exists(host.root, path.join(target.buildDir, f)));
  if (missing.length === 0) return { id: 'headers', title, severity: 'ok', detail: `${target.buildDir} (with .config and Makefile)` };
  const others = installedBuildTrees(host.root).filter((d) => d !== target.buildDir);
  const fix =
    distro === 'debian'
      ? headersFix(target.release)
      : distro === 'fedora'
        ? `sudo dnf install kernel-devel-${target.release}   (or: sudo stap-prep)`
        : 'sudo stap-prep   (it installs the headers and debuginfo of the running kernel)';
  const otherTrees = others.length ? ` Build trees installed for other releases: ${others.join(', ')}; to compile against one, set systemtap.kernelRelease to it.` : '';
  return {
    id: 'headers',
    title,
    severity: 'error',
    detail: `${target.buildDir} ${exists(host.root, target.buildDir) ? `lacks ${missing.join(' and ')}` : 'does not exist'}: stap cannot translate or compile for ${target.release} without it.${otherTrees}`,
    fix,
  };
}

/** Debian's and Fedora's header packages' build trees. */
function installedBuildTrees(root: string): string[] {
  const trees: string[] = [];
  for (const base of ['/usr/src', '/usr/src/kernels']) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(path.join(root, base));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const dir = path.posix.join(base, name);
      if (exists(root, path.join(dir, '.config')) && exists(root, path.join(dir, 'Makefile'))) trees.push(dir);
    }
  }
  return trees;
}

function debuginfoFinding(target: Target, host: Host, distro: Distro): Finding {
  const title = 'Kernel debuginfo';
  const r = target.release;
  const candidates = [`/usr/lib/debug/boot/vmlinux-${r}`, `/usr/lib/debug/lib/modules/${r}/vmlinux`, `/boot/vmlinux-${r}`, path.join(target.buildDir, 'vmlinux')];
  const found = candidates.find((c) => exists(host.root, c));
  if (found) return { id: 'debuginfo', title, severity: 'ok', detail: `${found}` };
  const urls = host.env.DEBUGINFOD_URLS?.trim();
  if (urls)
    return { id: 'debuginfo', title, severity: 'info', detail: `No vmlinux with debuginfo installed; stap fetches it from DEBUGINFOD_URLS (${urls}) when a script needs it (the first time is slow).` };
  const fix =
    distro === 'debian'
      ? `sudo apt install linux-image-${r}-dbg, or export DEBUGINFOD_URLS=https://debuginfod.debian.net`
      : distro === 'fedora'
        ? `sudo dnf debuginfo-install kernel-${r}, or export DEBUGINFOD_URLS=https://debuginfod.fedoraproject.org/`
        : 'sudo stap-prep, or set DEBUGINFOD_URLS to your distribution\u2019s debuginfod server';
  return {
    id: 'debuginfo',
    title,
    severity: 'warning',
    detail: `No vmlinux with debuginfo for ${r} (looked in ${candidates.join(', ')}) and DEBUGINFOD_URLS is not set: probes on kernel functions by name (kernel.function, module(...).function) and $target variables will fail; probes that need no debuginfo (begin, timer, kernel.trace, kprobe.function, the nd_syscall tapset) still work.`,
    fix,
  };
}

function btfFinding(target: Target, host: Host): Finding {
  const title = 'BTF type data';
  const file = target.isThisMachine ? '/sys/kernel/btf/vmlinux' : path.join(target.buildDir, 'vmlinux');
  if (exists(host.root, file)) return { id: 'btf', title, severity: 'ok', detail: `${file}: the editor checks kernel functions, $target variables and struct members against it.` };
  return {
    id: 'btf',
    title,
    severity: 'info',
    detail: target.isThisMachine
      ? 'This kernel has no /sys/kernel/btf/vmlinux (built without CONFIG_DEBUG_INFO_BTF): the editor cannot check kernel names and members.'
      : `No BTF for ${target.release} (the editor reads /sys/kernel/btf/vmlinux only for this machine's kernel): kernel names and members are not checked.`,
  };
}

function permissionFinding(sudo: DoctorSettings['sudo'], host: Host): Finding {
  const title = 'Permission to load modules';
  if (host.uid === 0) return { id: 'permission', title, severity: 'ok', detail: 'Running as root.' };
  const groups = groupIds(host.root);
  const member = (name: string) => groups.has(name) && host.gids.includes(groups.get(name)!);
  if (sudo !== 'never' && host.hasExecutable('sudo'))
    return { id: 'permission', title, severity: 'ok', detail: 'Runs go through sudo (systemtap.run.sudo), which asks for your password in the terminal.' };
  if (member('stapdev')) return { id: 'permission', title, severity: 'ok', detail: 'You are in the stapdev group: stap may compile and load any module, guru mode included.' };
  if (member('stapusr'))
    return {
      id: 'permission',
      title,
      severity: 'warning',
      detail: 'You are in stapusr only: stap loads only modules already in /lib/modules/RELEASE/systemtap/ and no guru-mode scripts.',
      fix: 'sudo usermod -aG stapdev $USER (then log in again), or set systemtap.run.sudo to "auto"',
    };
  return {
    id: 'permission',
    title,
    severity: 'error',
    detail: `Not root, not in the stapdev or stapusr group, and ${sudo === 'never' ? 'systemtap.run.sudo is "never"' : 'sudo is not installed'}: loading the module will be refused.`,
    fix: sudo === 'never' ? 'Set systemtap.run.sudo to "auto", or: sudo usermod -aG stapdev $USER (then log in again)' : 'Install sudo, or: usermod -aG stapdev USER as root (then log in again)',
  };
}

function kernelSecurityFindings(target: Target, host: Host): Finding[] {
  if (!target.isThisMachine) {
    return [
      { id: 'lockdown', title: 'Lockdown and module signing', severity: 'info', detail: `Not checked: ${target.release} is not the kernel this machine runs; they matter where the module is loaded.` },
    ];
  }
  const findings: Finding[] = [];
  const lockdown = readText(host.root, '/sys/kernel/security/lockdown');
  const mode = lockdown ? (/\[(\w+)\]/.exec(lockdown)?.[1] ?? lockdown.trim()) : undefined;
  if (!mode || mode === 'none') {
    findings.push({ id: 'lockdown', title: 'Kernel lockdown', severity: 'ok', detail: mode ? 'Lockdown is off ([none]).' : 'No lockdown (no /sys/kernel/security/lockdown).' });
  } else {
    findings.push({
      id: 'lockdown',
      title: 'Kernel lockdown',
      severity: 'error',
      detail: `Lockdown is "${mode}" (usually Secure Boot): the kernel loads only signed modules, and stap's are not signed.`,
      fix: 'Disable Secure Boot in the firmware (or: sudo mokutil --disable-validation), or enrol a machine owner key (mokutil --import) and sign the modules with it',
    });
  }
  const enforce = readText(host.root, '/sys/module/module/parameters/sig_enforce')?.trim();
  const forcedByConfig = /^CONFIG_MODULE_SIG_FORCE=y$/m.test(readText(host.root, path.join(target.buildDir, '.config')) ?? '');
  if (enforce === 'Y' || forcedByConfig) {
    findings.push({
      id: 'signing',
      title: 'Module signing',
      severity: 'error',
      detail: `The kernel enforces module signatures (${forcedByConfig ? 'CONFIG_MODULE_SIG_FORCE=y' : 'module.sig_enforce=1'}): stap's unsigned modules are refused.`,
      fix: 'Boot without module.sig_enforce=1, or sign the modules with a key the kernel trusts (mokutil --import)',
    });
  } else {
    findings.push({ id: 'signing', title: 'Module signing', severity: 'ok', detail: enforce === 'N' ? 'Signatures are not enforced (module.sig_enforce=N).' : 'Signatures are not enforced.' });
  }
  return findings;
}

function runtimeFinding(target: Target, stapVersion: string | undefined, host: Host): Finding {
  const title = "stap's runtime against these headers";
  if (!stapVersion) return { id: 'runtime', title, severity: 'info', detail: 'Not known: stap cannot be run.' };
  const status = host.runtimeStatus(target.release, stapVersion, target.buildDir);
  if (!status)
    return {
      id: 'runtime',
      title,
      severity: 'info',
      detail: `Not tested yet for ${target.release} with stap ${stapVersion}: a test compile (stap -p4, about 30 s) tells.`,
      fix: 'Run "SystemTap: Test Compile stap\u2019s Runtime" (stap -p4 -e \'probe begin { exit() }\')',
    };
  if (status.ok) return { id: 'runtime', title, severity: 'ok', detail: `A test compile succeeded (${status.testedAt}).` };
  return {
    id: 'runtime',
    title,
    severity: 'error',
    detail: `stap ${stapVersion}'s runtime does not compile against the headers of ${target.release} (test compile of ${status.testedAt}): ${status.errors.join('; ')}. No script can be compiled for this kernel with this stap, whatever its code.`,
    fix: 'Use a SystemTap release that supports this kernel (newer than the headers), or target a kernel this stap supports (systemtap.kernelRelease)',
  };
}

function readText(root: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

function exists(root: string, file: string): boolean {
  try {
    fs.statSync(path.join(root, file));
    return true;
  } catch {
    return false;
  }
}

/** Group names to ids, from /etc/group. */
function groupIds(root: string): Map<string, number> {
  const groups = new Map<string, number>();
  for (const line of (readText(root, '/etc/group') ?? '').split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid && /^\d+$/.test(gid)) groups.set(name, Number(gid));
  }
  return groups;
}
