// The script the semantic benchmarks analyse: functions and probes that use
// globals, arrays, statistics and calls, about `lines` lines long.

export function semanticBenchScript(lines: number, options: { foreach: boolean }): string {
  const parts = ['global counts, names, s, total\n'];
  let length = 1;
  for (let i = 0; length < lines; i++) {
    parts.push(`function f${i}(a, b) {\n  x = a + ${i}\n  y = b . "s"\n  counts[y, x] = x\n  if (x > 3) return y\n  return sprintf("%d", x)\n}\n`);
    const loop = options.foreach ? '  foreach ([k1, k2] in counts- limit 3) total += k2\n' : '';
    parts.push(`probe timer.ms(${i + 1}) {\n  v = f${i}(${i}, "k")\n  names[v] = strlen(v)\n  s <<< names[v]\n${loop}  printf("%s %d %d\\n", v, @count(s), total)\n}\n`);
    length += options.foreach ? 14 : 13;
  }
  return parts.join('');
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}
