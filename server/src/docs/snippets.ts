// The snippets, in one place, each with where it may stand: completion offers
// a snippet only there (a C snippet inside `%{ %}`, a declaration between
// declarations, a statement in a body). Bodies use VS Code's snippet syntax
// (`${1:default}`, `${1|a,b|}`, `$0`).

/**
 * - `topLevel`: a declaration, between declarations;
 * - `statement`: a statement, in a probe or function body;
 * - `cFunctionBody`: C for the body of an embedded-C function (may use `STAP_ARG_`, `STAP_RETVALUE`);
 * - `cCode`: C for any function body, also one written in a top-level `%{ %}`;
 * - `cTopLevel`: C for a top-level `%{ %}`.
 */
export type SnippetPlace = 'topLevel' | 'statement' | 'cFunctionBody' | 'cCode' | 'cTopLevel';

export interface Snippet {
  /** What the completion list shows. */
  label: string;
  /** What the user types to find it. */
  prefix: string;
  place: SnippetPlace;
  description: string;
  body: string[];
}

// Linux 4.7 renamed ICMP_INC_STATS_BH to __ICMP_INC_STATS (net: rename ICMP_INC_STATS_BH()).
const ICMP_RENAMED_IN = '4.7';

/** Gets the route's device of `skb` into `dev`, or stops with a script error: a NULL pointer here would oops. */
const icmpBody = (macro: string) => [
  '\tstruct sk_buff *skb = (struct sk_buff *)(long)STAP_ARG_${2:skb};',
  '\tstruct dst_entry *dst = skb ? skb_dst(skb) : NULL;',
  '\tif (dst == NULL || dst->dev == NULL)',
  '\t\tSTAP_ERROR("${1:bump_icmp_inerrors}: the packet has no route");',
  `\t${macro}(dev_net(dst->dev), \${3:ICMP_MIB_INERRORS});`,
];

export const SNIPPETS: readonly Snippet[] = [
  {
    label: 'printk',
    prefix: 'printk',
    place: 'cCode',
    description: 'printk() to the kernel log, with its level; read it with `journalctl -k -f` or `dmesg -w`.',
    body: ['printk(${1|KERN_ERR,KERN_WARNING,KERN_NOTICE,KERN_INFO,KERN_DEBUG,KERN_EMERG,KERN_ALERT,KERN_CRIT|} "${2:message}\\n"${3:, ${4:args}});'],
  },
  {
    label: 'device name of an skb (IFNAMSIZ)',
    prefix: 'devname',
    place: 'cFunctionBody',
    description: 'Copies the name of the device a packet belongs to into STAP_RETVALUE (a `:string` function), reading skb->dev with kread and stopping with a script error when there is none.',
    body: [
      'struct sk_buff *skb = (struct sk_buff *)(long)STAP_ARG_${1:skb};',
      'struct net_device *dev;',
      'if (skb == NULL)',
      '\tSTAP_ERROR("no packet");',
      'dev = kread(&(skb->dev));',
      'if (dev == NULL)',
      '\tSTAP_ERROR("the packet has no device");',
      'kderef_string(STAP_RETVALUE, dev->name, IFNAMSIZ);$0',
    ],
  },
  {
    label: 'ICMP_INC_STATS_BH / __ICMP_INC_STATS',
    prefix: 'ICMP_INC_STATS',
    place: 'cFunctionBody',
    description: `Bumps an ICMP MIB counter for the route of a packet, with the macro's spelling for the target kernel: ICMP_INC_STATS_BH before Linux ${ICMP_RENAMED_IN}, __ICMP_INC_STATS since.`,
    body: [
      'struct sk_buff *skb = (struct sk_buff *)(long)STAP_ARG_${1:skb};',
      'struct dst_entry *dst = skb ? skb_dst(skb) : NULL;',
      'if (dst == NULL || dst->dev == NULL)',
      '\tSTAP_ERROR("the packet has no route");',
      `#if LINUX_VERSION_CODE < KERNEL_VERSION(${ICMP_RENAMED_IN.replace('.', ', ')}, 0)`,
      'ICMP_INC_STATS_BH(dev_net(dst->dev), ${2:ICMP_MIB_INERRORS});',
      '#else',
      '__ICMP_INC_STATS(dev_net(dst->dev), ${2:ICMP_MIB_INERRORS});',
      '#endif',
    ],
  },
  {
    label: '#include',
    prefix: '#include',
    place: 'cTopLevel',
    description: 'A kernel header for the embedded C of the script.',
    body: ['#include <${1:linux/netdevice.h}>'],
  },
  {
    label: 'guru function returning long',
    prefix: 'fnlong',
    place: 'topLevel',
    description: 'An embedded-C function returning a long (needs stap -g).',
    body: ['function ${1:name}:long(${2:x}:long) %{', '\tSTAP_RETVALUE = STAP_ARG_${2:x};$0', '%}'],
  },
  {
    label: 'guru function returning string',
    prefix: 'fnstring',
    place: 'topLevel',
    description: 'An embedded-C function returning a string: STAP_RETVALUE is a MAXSTRINGLEN char buffer (needs stap -g).',
    body: ['function ${1:name}:string(${2:s}:string) %{', '\tstrlcpy(STAP_RETVALUE, STAP_ARG_${2:s}, MAXSTRINGLEN);$0', '%}'],
  },
  {
    label: 'guru function returning a net_device name',
    prefix: 'fndevname',
    place: 'topLevel',
    description: 'The name of the device of a packet, IFNAMSIZ bytes at most, with the pointers checked: a NULL device is a script error, not an oops (needs stap -g).',
    body: [
      '%{',
      '#include <linux/netdevice.h>',
      '#include <linux/skbuff.h>',
      '%}',
      '',
      'function ${1:get_devname}:string(${2:skb}:long) %{',
      '\tstruct sk_buff *skb = (struct sk_buff *)(long)STAP_ARG_${2:skb};',
      '\tstruct net_device *dev;',
      '\tif (skb == NULL)',
      '\t\tSTAP_ERROR("${1:get_devname}: no packet");',
      '\tdev = kread(&(skb->dev));',
      '\tif (dev == NULL)',
      '\t\tSTAP_ERROR("${1:get_devname}: the packet has no device");',
      '\tkderef_string(STAP_RETVALUE, dev->name, IFNAMSIZ);',
      '%}',
    ],
  },
  {
    label: 'ICMP MIB counter for every kernel (ICMP_INC_STATS_BH / __ICMP_INC_STATS)',
    prefix: 'icmpinc',
    place: 'topLevel',
    description: `Bumps an ICMP MIB counter from embedded C. Linux ${ICMP_RENAMED_IN} renamed ICMP_INC_STATS_BH to __ICMP_INC_STATS: a %( kernel_v %) conditional picks the spelling of the target kernel (needs stap -g).`,
    body: [
      '%{',
      '#include <net/icmp.h>',
      '#include <net/dst.h>',
      '%}',
      '',
      `%( kernel_v < "${ICMP_RENAMED_IN}" %?`,
      'function ${1:bump_icmp_inerrors}(${2:skb}:long) %{',
      ...icmpBody('ICMP_INC_STATS_BH'),
      '%}',
      '%:',
      'function ${1:bump_icmp_inerrors}(${2:skb}:long) %{',
      ...icmpBody('__ICMP_INC_STATS'),
      '%}',
      '%)',
    ],
  },
  {
    label: 'embedded C include block',
    prefix: '%{include',
    place: 'topLevel',
    description: 'A top-level %{ %} with a kernel header (needs stap -g).',
    body: ['%{', '#include <${1:linux/netdevice.h}>', '%}'],
  },
  {
    label: 'probe kernel.function',
    prefix: 'probekf',
    place: 'topLevel',
    description: 'A probe on a kernel function (needs kernel debuginfo).',
    body: ['probe kernel.function("${1:ip_output}")${2:.return} {', '\t$0', '}'],
  },
  {
    label: 'probe begin / end',
    prefix: 'probebegin',
    place: 'topLevel',
    description: 'Code for the start and the end of the script.',
    body: ['probe begin {', '\tprintf("${1:start}\\n")', '}', '', 'probe end {', '\t$0', '}'],
  },
  {
    label: 'probe timer',
    prefix: 'probetimer',
    place: 'topLevel',
    description: 'Code run at an interval.',
    body: ['probe timer.${1|s,ms,us,ns,hz,jiffies|}(${2:1}) {', '\t$0', '}'],
  },
  {
    label: 'probe syscall',
    prefix: 'probesyscall',
    place: 'topLevel',
    description: 'A probe on a system call, with the tapset alias that gives its arguments.',
    body: ['probe syscall.${1:openat} {', '\tprintf("%s(%d) %s\\n", execname(), pid(), argstr)$0', '}'],
  },
  {
    label: 'probe process function',
    prefix: 'probeprocess',
    place: 'topLevel',
    description: 'A probe on a function of a user-space program.',
    body: ['probe process("${1:/bin/ls}").function("${2:main}") {', '\tprintf("%s\\n", ppfunc())$0', '}'],
  },
  {
    label: 'global statistic with @hist_log',
    prefix: 'globalhist',
    place: 'topLevel',
    description: 'Accumulates a statistic and prints its histogram at the end.',
    body: [
      'global ${1:latency}',
      '',
      'probe ${2:kernel.function("vfs_read").return} {',
      '\t${1:latency} <<< ${3:gettimeofday_us() - @entry(gettimeofday_us())}',
      '}',
      '',
      'probe end {',
      '\tprint(@hist_log(${1:latency}))',
      '}',
    ],
  },
  {
    label: 'foreach over an array',
    prefix: 'foreach',
    place: 'statement',
    description: 'Every element of an array, sorted by value, the first few.',
    body: ['foreach (${1:key} in ${2:array}${3|-,+|} limit ${4:10})', '\tprintf("%s: %d\\n", ${1:key}, ${2:array}[${1:key}])$0'],
  },
];

/** The text a snippet inserts when every placeholder keeps its default (a choice, its first option). */
export function expandDefaults(body: string): string {
  let text = body;
  // Placeholders nest (`${3:, ${4:args}}`): expand the innermost until nothing changes.
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+:([^${}]*)\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '');
}
