// The values stap's own builders refuse once a point has matched its pattern
// (tapset-timers.cxx timer_builder, tapset-procfs.cxx procfs_builder,
// tapset-netfilter.cxx netfilter_derived_probe), with
// stap's words. Each takes the point's parameters by component name, as the
// builders read them; a value this analysis cannot know is left alone.

export type ParamValue = bigint | string | undefined;

/** The components of a matched point, by name: the parameter's value, or undefined where there is none or it is not known. */
export type Params = ReadonlyMap<string, ParamValue>;

const int64 = (v: bigint) => BigInt.asIntN(64, v);
const numberParam = (params: Params, name: string): bigint | undefined => {
  const v = params.get(name);
  return typeof v === 'bigint' ? v : undefined;
};

const MIN_NS_INTERVAL = 100_000n;
const MAX_NS_INTERVAL = 86_400_000_000_000n;
const TIMER_SCALES: [string[], bigint][] = [
  [['s', 'sec'], 1_000_000_000n],
  [['ms', 'msec'], 1_000_000n],
  [['us', 'usec'], 1_000n],
  [['ns', 'nsec'], 1n],
];

/** `timer.ms(N)`, `timer.jiffies(N).randomize(M)`, `timer.hz(N)`: stap's message, or undefined when the values pass (or are not known). */
export function timerProblem(params: Params): string | undefined {
  if (params.has('profile')) return undefined;
  const randomize = params.has('randomize') ? numberParam(params, 'randomize') : 0n;
  if (randomize === undefined) return undefined;
  if (params.has('jiffies')) {
    const period = numberParam(params, 'jiffies');
    if (period === undefined) return undefined;
    if (period <= 0n || period > 1_000_000n) return 'invalid interval for jiffies timer';
    if (randomize < 0n || randomize > period) return 'invalid randomize for jiffies timer';
    return undefined;
  }
  let period: bigint | undefined;
  let rand = randomize;
  let scale = 1n;
  if (params.has('hz')) {
    const hz = numberParam(params, 'hz');
    if (hz === undefined) return undefined;
    if (hz <= 0n) return 'frequency must be greater than 0';
    period = int64(1_000_000_000n + hz - 1n) / hz;
  } else {
    const unit = TIMER_SCALES.find(([names]) => names.some((n) => params.has(n)));
    if (!unit) return undefined;
    const given = numberParam(
      params,
      unit[0].find((n) => params.has(n))!,
    );
    if (given === undefined) return undefined;
    scale = unit[1];
    period = int64(given * scale);
    rand = int64(rand * scale);
  }
  if (period < MIN_NS_INTERVAL || period > MAX_NS_INTERVAL) {
    const low = scale < MIN_NS_INTERVAL ? MIN_NS_INTERVAL / scale : 1n;
    return `interval value out of range (${low}, ${MAX_NS_INTERVAL / scale})`;
  }
  if (rand < 0n || rand > period) return 'randomization value out of range';
  return undefined;
}

/** `procfs("path").read.maxsize(N)`: stap's message, or undefined. */
export function procfsProblem(params: Params): string | undefined {
  if (params.has('maxsize')) {
    const maxsize = numberParam(params, 'maxsize');
    if (maxsize !== undefined && maxsize <= 0n) return 'maxsize must be greater than 0';
  }
  const path = params.get('procfs');
  if (typeof path !== 'string') return undefined;
  const parts = path.split('/');
  if (parts.length > 1 && parts[0] === '') return "procfs path cannot start with a '/'";
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    if (parts[i] === '') return last ? "procfs path cannot end with a '/'" : 'procfs path component cannot be empty';
    if (parts[i] === '.' || parts[i] === '..') return "procfs path cannot be relative (and contain '.' or '..')";
  }
  return undefined;
}

// netfilter_derived_probe's names, by protocol family: its number, the hooks it
// knows and the priorities it names (stap hands anything else to the C compiler
// as it is, in guru mode only).
const INT32_MIN = '-2147483648';
const INT32_MAX = '2147483647';
const IP_PRIORITIES = (prefix: string): [string, string][] => [
  [`${prefix}_FIRST`, INT32_MIN],
  [`${prefix}_CONNTRACK_DEFRAG`, '-400'],
  [`${prefix}_RAW`, '-300'],
  [`${prefix}_SELINUX_FIRST`, '-225'],
  [`${prefix}_CONNTRACK`, '-200'],
  [`${prefix}_MANGLE`, '-150'],
  [`${prefix}_NAT_DST`, '-100'],
  [`${prefix}_FILTER`, '0'],
  [`${prefix}_SECURITY`, '50'],
  [`${prefix}_NAT_SRC`, '100'],
  [`${prefix}_SELINUX_LAST`, '225'],
  [`${prefix}_LAST`, INT32_MAX],
];
const ROUTING_HOOKS = (prefix: string) => ['PRE_ROUTING', 'LOCAL_IN', 'FORWARD', 'LOCAL_OUT', 'POST_ROUTING'].map((h) => `${prefix}_${h}`);

const NETFILTER_FAMILIES: ReadonlyMap<string, { number: string; hooks: ReadonlySet<string>; priorities: ReadonlyMap<string, string> }> = new Map([
  [
    'NFPROTO_IPV4',
    {
      number: '2',
      hooks: new Set([...ROUTING_HOOKS('NF_INET'), ...ROUTING_HOOKS('NF_IP')]),
      priorities: new Map([...IP_PRIORITIES('NF_IP_PRI'), ['NF_IP_PRI_CONNTRACK_CONFIRM', INT32_MAX]]),
    },
  ],
  ['NFPROTO_IPV6', { number: '10', hooks: new Set(ROUTING_HOOKS('NF_IP6')), priorities: new Map(IP_PRIORITIES('NF_IP6_PRI')) }],
  ['NFPROTO_ARP', { number: '3', hooks: new Set(['NF_ARP_IN', 'NF_ARP_OUT', 'NF_ARP_FORWARD']), priorities: new Map() }],
  ['NFPROTO_BRIDGE', { number: '7', hooks: new Set(ROUTING_HOOKS('NF_BR')), priorities: new Map() }],
]);

/** What C++'s `istream >> int32_t` reads to the end of the text: blanks, a sign, decimal digits, within 32 bits. */
function isInt32Text(text: string): boolean {
  if (!/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(text)) return false;
  const value = BigInt(text.trim());
  return value >= BigInt(INT32_MIN) && value <= BigInt(INT32_MAX);
}

/**
 * `netfilter.hook("NAME").pf("FAMILY").priority("P")`: without guru mode stap
 * takes only the names it knows and a priority that is a 32-bit number (or a
 * name of the family's); in guru mode anything goes. In stap's order: the
 * priority, then the hook, then the family.
 */
export function netfilterProblem(params: Params, guru: boolean): string | undefined {
  if (guru) return undefined;
  const hook = params.get('hook');
  const pf = params.get('pf');
  const priority = params.has('priority') ? params.get('priority') : '0';
  if (typeof hook !== 'string' || typeof pf !== 'string' || typeof priority !== 'string') return undefined;
  const family = NETFILTER_FAMILIES.get(pf);
  const pfShown = family?.number ?? pf;
  if (!isInt32Text(family?.priorities.get(priority) ?? priority)) return `unsupported netfilter priority "${priority}" for protocol family "${pfShown}"; need stap -g`;
  if (!family) return `unsupported netfilter protocol family "${pf}"; need stap -g`;
  if (!family.hooks.has(hook)) return `unsupported netfilter hook "${hook}" for protocol family "${pfShown}"; need stap -g`;
  return undefined;
}
