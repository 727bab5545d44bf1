// Pin target: an IPFS Pinning Service API endpoint (https://ipfs.github.io/pinning-services-api-spec/), the API
// that Pinata, Filebase and others serve. Plain fetch, so the wire format is exactly what the spec shows:
//   GET  /pins?cid=<cid>&status=queued,pinning,pinned,failed   (Authorization: Bearer <token>)
//   POST /pins {"cid","name","origins"?,"meta"?}               -> 202 PinStatus
// The service fetches the blocks itself over the IPFS network (from `origins` when given), so "pinned" can take
// minutes; the status is polled until it is "pinned" or "failed", or the wait runs out.
import { isRetryableStatus, type RetryOptions, TargetError, withRetry } from "./retry.ts";

export type PinningServiceTarget = {
  /** API base, e.g. https://api.pinata.cloud/psa ; requests go to <endpoint>/pins */
  endpoint: string;
  token: string;
};

export type PinStatusValue = "queued" | "pinning" | "pinned" | "failed";

export type PinStatus = {
  requestid: string;
  status: PinStatusValue;
  created?: string;
  pin: { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> };
  delegates?: string[];
  info?: Record<string, string>;
};

export type PinRequest = {
  cid: string;
  name: string;
  origins?: string[];
  meta?: Record<string, string>;
};

export type PollOptions = {
  intervalMs: number;
  /** Give up waiting for "pinned" after this long (the request stays with the service). */
  timeoutMs: number;
};

export const DEFAULT_POLL: PollOptions = { intervalMs: 5_000, timeoutMs: 15 * 60_000 };

const STATUSES: PinStatusValue[] = ["queued", "pinning", "pinned", "failed"];

/** The spec's error body is {"error":{"reason","details"}}; services that stray from it still get quoted. */
async function serviceMessage(response: Response): Promise<string> {
  const text = (await response.text()).slice(0, 2_000);
  try {
    const body = JSON.parse(text) as { error?: { reason?: string; details?: string }; message?: string };
    if (body.error?.reason)
      return body.error.details ? `${body.error.reason}: ${body.error.details}` : body.error.reason;
    if (typeof body.message === "string") return body.message;
  } catch {
    // not JSON: quote the text
  }
  return text.trim() || response.statusText;
}

function isPinStatus(value: unknown): value is PinStatus {
  const v = value as PinStatus;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.requestid === "string" &&
    STATUSES.includes(v.status) &&
    typeof v.pin === "object" &&
    v.pin !== null &&
    typeof v.pin.cid === "string"
  );
}

export class PinningServiceClient {
  readonly endpoint: string;
  readonly #token: string;
  readonly #retry: RetryOptions;

  constructor(target: PinningServiceTarget, retry: RetryOptions) {
    this.endpoint = target.endpoint.replace(/\/+$/, "");
    this.#token = target.token;
    this.#retry = retry;
  }

  async #request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    return await withRetry(
      `Pinning service ${this.endpoint}: ${method} ${path.split("?")[0]}`,
      async () => {
        let response: Response;
        try {
          response = await fetch(`${this.endpoint}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${this.#token}`,
              accept: "application/json",
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(60_000),
          });
        } catch (e) {
          const cause = (e as { cause?: { code?: string } }).cause;
          throw new TargetError(`${(e as Error).message}${cause?.code ? ` (${cause.code})` : ""}`, { retryable: true });
        }
        if (!response.ok) {
          const status = response.status;
          throw new TargetError(`HTTP ${status}: ${await serviceMessage(response)}`, {
            retryable: isRetryableStatus(status),
            status,
          });
        }
        try {
          return await response.json();
        } catch {
          throw new TargetError(`HTTP ${response.status} with a body that is not JSON`, { retryable: true });
        }
      },
      this.#retry,
    );
  }

  /** Pin requests for `cid` in any state, newest first as the service returns them. */
  async list(cid: string): Promise<PinStatus[]> {
    const query = new URLSearchParams({ cid, status: STATUSES.join(",") });
    const body = (await this.#request("GET", `/pins?${query}`)) as { results?: unknown };
    if (!Array.isArray(body.results)) {
      throw new TargetError(`GET /pins answered without a "results" array`, { retryable: false });
    }
    return body.results.filter(isPinStatus).filter((p) => p.pin.cid === cid);
  }

  async add(pin: PinRequest): Promise<PinStatus> {
    const body = await this.#request("POST", "/pins", pin);
    if (!isPinStatus(body))
      throw new TargetError("POST /pins answered with something that is not a PinStatus", { retryable: false });
    return body;
  }
}

export type PinningResult = { endpoint: string; requestid: string; status: PinStatusValue; reused: boolean };

/**
 * Makes sure `pin.cid` is pinned by the service and waits for "pinned". An existing request for the same CID
 * (queued, pinning or pinned) is reused, so running publish again does not stack duplicate pins.
 */
export async function pinToPinningService(
  target: PinningServiceTarget,
  pin: PinRequest,
  retry: RetryOptions,
  poll: PollOptions,
  log: (line: string) => void = () => {},
): Promise<PinningResult> {
  const client = new PinningServiceClient(target, {
    ...retry,
    onRetry: (error, attempt, delayMs) =>
      log(`  pinning service: attempt ${attempt} failed (${error.message}); retrying in ${delayMs / 1000}s`),
  });
  const existing = (await client.list(pin.cid)).find((p) => p.status !== "failed");
  let current = existing ?? (await client.add(pin));
  const reused = existing !== undefined;
  log(`  pinning service: request ${current.requestid} is ${current.status}${reused ? " (existing request)" : ""}`);
  const deadline = Date.now() + poll.timeoutMs;
  while (current.status === "queued" || current.status === "pinning") {
    if (Date.now() >= deadline) {
      throw new TargetError(
        `Pinning service ${client.endpoint}: request ${current.requestid} is still "${current.status}" after ` +
          `${Math.round(poll.timeoutMs / 1000)}s; the service keeps working on it (check GET /pins?cid=${pin.cid})`,
        { retryable: false },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, poll.intervalMs));
    const requestid = current.requestid;
    const next = (await client.list(pin.cid)).find((p) => p.requestid === requestid);
    if (next === undefined) {
      throw new TargetError(`Pinning service ${client.endpoint}: request ${requestid} disappeared from GET /pins`, {
        retryable: false,
      });
    }
    if (next.status !== current.status) log(`  pinning service: request ${requestid} is ${next.status}`);
    current = next;
  }
  if (current.status === "failed") {
    const info = current.info
      ? ` (${Object.entries(current.info)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")})`
      : "";
    throw new TargetError(`Pinning service ${client.endpoint}: request ${current.requestid} failed${info}`, {
      retryable: false,
    });
  }
  return { endpoint: client.endpoint, requestid: current.requestid, status: current.status, reused };
}
