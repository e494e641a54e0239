// The values stap's own builders refuse once a point has matched its pattern
// (tapset-timers.cxx timer_builder, tapset-procfs.cxx procfs_builder), with
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
