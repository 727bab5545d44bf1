// Summaries of repeated measurements: every figure the benchmark prints is a median with its spread, never a
// single run, because this machine is shared and one run can land on a busy moment.

export type Summary = {
  /** How many samples. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** 10th and 90th percentiles (linear interpolation between ranks). */
  p10: number;
  p90: number;
};

/** The q-quantile (0..1) of sorted values, interpolating between neighbouring ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of no samples");
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (at - lo);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("no samples to summarize");
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
  };
}

/** Runs `fn` `reps` times in sequence and returns what each run measured. */
export async function repeat<T>(reps: number, fn: (rep: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let rep = 0; rep < reps; rep++) out.push(await fn(rep));
  return out;
}

/** Milliseconds `fn` took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
