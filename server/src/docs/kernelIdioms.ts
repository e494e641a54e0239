// Short reference text for the kernel names guru scripts use most, and for
// the pragma comments stap reads in embedded C (`man stap`, EMBEDDED C).

export const KERNEL_DOCS: Record<string, string> = {
  printk:
    '**printk(fmt, ...)**: writes to the kernel log buffer, not to the script\'s output: read it with `journalctl -k -f` or `dmesg -w`. Start the format with a level: `printk(KERN_ERR "x=%d\\n", x)`.',
  jiffies: "**jiffies** (`unsigned long`): the kernel's tick counter, incremented `HZ` times a second. It starts five minutes before wrapping around, so compare with `time_after()` rather than `<`.",
  HZ: '**HZ**: ticks per second of the `jiffies` clock, fixed when the kernel is configured (commonly 100, 250, 300 or 1000).',
  current: '**current** (`struct task_struct *`): the task running on this CPU; in a probe handler, the task that hit the probe (in interrupt context, the one interrupted).',
  IFNAMSIZ: '**IFNAMSIZ**: the size of a network interface name, 16 bytes with the terminating NUL (`<linux/if.h>`); `dev->name` is `char[IFNAMSIZ]`.',
  snprintf:
    '**snprintf(buf, size, fmt, ...)**: formats into `buf`, writing at most `size` bytes including the NUL, and returns the length the whole text would have had. For a string function: `snprintf(STAP_RETVALUE, MAXSTRINGLEN, ...)`.',
  strlcpy: '**strlcpy(dest, src, size)**: copies `src` into `dest`, truncated to `size - 1` characters and always NUL-terminated; returns `strlen(src)`. Newer kernels replace it with `strscpy`.',
  ICMP_INC_STATS_BH:
    '**ICMP_INC_STATS_BH(net, field)**: increments the ICMP counter `field` (`ICMP_MIB_INERRORS`, ...; see `nstat -a` or `/proc/net/snmp`) of network namespace `net`, from softirq context. Linux 4.7 renamed it `__ICMP_INC_STATS`.',
  __ICMP_INC_STATS:
    '**__ICMP_INC_STATS(net, field)**: increments the ICMP counter `field` (`ICMP_MIB_INERRORS`, ...) of network namespace `net` where preemption is already off (softirq context); `ICMP_INC_STATS` elsewhere. The spelling of `ICMP_INC_STATS_BH` since Linux 4.7.',
  skb_rtable: '**skb_rtable(skb)** (`struct rtable *`): the IPv4 route attached to a packet (`<net/route.h>`).',
  dev_net: '**dev_net(dev)** (`struct net *`): the network namespace a `net_device` belongs to.',
};

/** printk's log levels: name, number, meaning. */
export const KERNEL_LOG_LEVELS: [string, number, string][] = [
  ['KERN_EMERG', 0, 'system is unusable'],
  ['KERN_ALERT', 1, 'action must be taken immediately'],
  ['KERN_CRIT', 2, 'critical conditions'],
  ['KERN_ERR', 3, 'error conditions'],
  ['KERN_WARNING', 4, 'warning conditions'],
  ['KERN_NOTICE', 5, 'normal but significant condition'],
  ['KERN_INFO', 6, 'informational'],
  ['KERN_DEBUG', 7, 'debug-level messages'],
];
for (const [name, level, meaning] of KERNEL_LOG_LEVELS) {
  KERNEL_DOCS[name] = `**${name}**: printk log level ${level}, ${meaning}. It is a string prefix: \`printk(${name} "message\\n")\`.`;
}

// Worded after `man stap`, section EMBEDDED C.
export const PRAGMA_DOCS: Record<string, string> = {
  pure: '**/\\* pure \\*/**: the C has no side effects and may be left out entirely when the script does not use its value.',
  stable:
    '**/\\* stable \\*/**: the C always has the same value within one probe handler run, so repeated calls may be replaced by the first value. Such a function takes no parameters and must also be `/* pure */`.',
  unprivileged: '**/\\* unprivileged \\*/**: the C is safe enough for unprivileged users to use.',
  'myproc-unprivileged': "**/\\* myproc-unprivileged \\*/**: the C is safe enough for unprivileged users, when the probe's target is the user's own process.",
  guru: '**/\\* guru \\*/**: the C is unsafe enough that a script using it needs `stap -g` (tapsets may call it).',
  unmangled: '**/\\* unmangled \\*/**: makes the pre-1.8 `THIS->name` and `THIS->__retvalue` available in this function, beside `STAP_ARG_name` and `STAP_RETVALUE`.',
  'unmodified-fnargs': '**/\\* unmodified-fnargs \\*/**: the function does not modify its arguments.',
  read: "**/\\* pragma:read:NAME \\*/**: lets this C read the script's global `NAME` with `STAP_GLOBAL_GET_NAME()`.",
  write: "**/\\* pragma:write:NAME \\*/**: lets this C write the script's global `NAME` with `STAP_GLOBAL_SET_NAME(value)`.",
  string: '**/\\* string \\*/**: in a `%{ expression %}` only: the expression is a `const char *` string, not the default long.',
};

/** The pragma a C comment is, if any: `/* pure *\/` -> `pure`, `/* pragma:read:x *\/` -> `read`. */
export function pragmaOf(comment: string): string | undefined {
  const m = /^\/\*\s*(?:pragma:(read|write):\w+|([\w-]+))\s*\*\/$/.exec(comment);
  const name = m?.[1] ?? m?.[2];
  return name && PRAGMA_DOCS[name] ? name : undefined;
}
