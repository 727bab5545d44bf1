// Progress lines and clean-up for the stack's start-up: each step prints what it did and how long it took; a
// failed step is named, and everything started before it is stopped in reverse order.

export class StepError extends Error {
  override name = "StepError";
  readonly step: string;
  constructor(step: string, cause: unknown) {
    super(`${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.step = step;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class Steps {
  private readonly total: number;
  private done = 0;
  private readonly write: (line: string) => void;
  private readonly signal: AbortSignal | undefined;

  constructor(total: number, write: (line: string) => void = (line) => console.log(line), signal?: AbortSignal) {
    this.total = total;
    this.write = write;
    this.signal = signal;
  }

  /** Runs one step; its function returns the sentence to print on success. */
  async run<T>(name: string, fn: () => Promise<{ value: T; said: string }>): Promise<T> {
    const number = `[${++this.done}/${this.total}]`;
    this.write(`${number} ${name}…`);
    const started = performance.now();
    try {
      this.signal?.throwIfAborted();
      // An interrupt does not wait for the step: the caller's clean-up stops what the step started, and anything
      // the step finishes starting afterwards is stopped as it registers (see Cleanup.add).
      const { value, said } = await abortable(fn(), this.signal);
      this.write(`${" ".repeat(number.length)} ✓ ${said} (${seconds(performance.now() - started)})`);
      return value;
    } catch (error) {
      throw new StepError(`Step ${number} "${name}"`, error);
    }
  }

  note(line: string): void {
    this.write(`      ${line}`);
  }
}

/** Things to stop, stopped last-started-first. Anything registered after `runAll` began is stopped at once. */
export class Cleanup {
  private readonly tasks: Array<{ name: string; fn: () => Promise<void> }> = [];
  private closing: Promise<void> | null = null;

  add(name: string, fn: () => Promise<void>): void {
    if (this.closing !== null) {
      // Shut-down already ran: whatever finished starting meanwhile must not outlive it.
      void fn().catch(() => {});
      return;
    }
    this.tasks.push({ name, fn });
  }

  get started(): boolean {
    return this.closing !== null;
  }

  /** Stops everything once; later calls wait for the same run. */
  runAll(log: (line: string) => void = () => {}): Promise<void> {
    this.closing ??= (async () => {
      for (const task of this.tasks.reverse()) {
        try {
          await withTimeout(task.fn(), 10_000, `stopping ${task.name} timed out`);
          log(`stopped ${task.name}`);
        } catch (error) {
          log(`could not stop ${task.name}: ${(error as Error).message}`);
        }
      }
    })();
    return this.closing;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error("interrupted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
