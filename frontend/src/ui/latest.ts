// Only the latest of overlapping async jobs may write to the page. A page renders again when the wallet connects
// and on new blocks, and the router loads a page per navigation; a job that started earlier can finish later, and
// must then not write over the newer one's result (pages/seller/store-page.ts, router.ts).

/**
 * Hands out one AbortSignal per job: `start()` aborts the signal of the job before it, so a job that finishes
 * after a newer one started finds its signal aborted and writes nothing. `parent` (the page's own signal) aborts
 * whatever job is current when it aborts.
 */
export class Latest {
  private controller: AbortController | null = null;
  private readonly parent: AbortSignal | undefined;

  constructor(parent?: AbortSignal) {
    this.parent = parent;
    parent?.addEventListener("abort", () => this.stop(), { once: true });
  }

  /** Starts a job: every earlier one is stale from now on. */
  start(): AbortSignal {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    if (this.parent?.aborted) controller.abort();
    return controller.signal;
  }

  /** Makes the current job stale too (the page is going away). */
  stop(): void {
    this.controller?.abort();
  }
}
