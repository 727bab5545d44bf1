// Retries for pin targets. Pinning services and remote Kubo nodes answer 502/503/429 under load and recover
// within seconds, so transient failures are retried with exponential backoff; anything that cannot get better by
// asking again (bad token, bad request) fails at once. The final error keeps the service's own words.

/** A pin target's failure, carrying the service's message and whether asking again could help. */
export class TargetError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "TargetError";
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

/** 408, 429 and 5xx are worth retrying; other HTTP statuses mean the request itself is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export type RetryOptions = {
  /** Total tries, including the first. */
  attempts: number;
  /** Delay before the 2nd try; it doubles before each further try. */
  baseDelayMs: number;
  maxDelayMs: number;
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
};

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 16_000 };

/** Backoff before try `attempt + 1` (attempt counts from 1): base, 2*base, 4*base, ... capped at maxDelayMs. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Runs `fn` until it succeeds, throws a non-retryable error, or `attempts` tries have failed. Errors that are not
 * {@link TargetError}s (network failures: refused, reset, timed out) count as retryable.
 */
export async function withRetry<T>(
  what: string,
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const retryable = error instanceof TargetError ? error.retryable : true;
      if (!retryable || attempt >= options.attempts) {
        const tries = attempt === 1 ? "" : ` after ${attempt} attempts`;
        throw new TargetError(`${what} failed${tries}: ${error.message}`, {
          retryable: false,
          status: error instanceof TargetError ? error.status : undefined,
          cause: error,
        });
      }
      const delayMs = backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
