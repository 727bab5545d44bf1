// Pin target: a Kubo node over its RPC API (kubo-rpc-client). The CAR goes in with `dag/import?pin-roots=true`,
// which stores every block and pins the root recursively in one request; `pin/ls` then confirms the pin from
// Kubo's own pin set rather than trusting the import's answer.
import { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { create } from "kubo-rpc-client";
import { CID } from "multiformats/cid";
import { isRetryableStatus, type RetryOptions, TargetError, withRetry } from "./retry.ts";

export type KuboTarget = {
  /** RPC API base, e.g. http://127.0.0.1:5001 */
  url: string;
  /** Sent as the Authorization header when Kubo's API.Authorizations is set, e.g. "Bearer …" or "Basic …". */
  authorization?: string;
};

export type KuboPinResult = { url: string; cid: CID; origins: string[] };

/** Turns kubo-rpc-client's errors into TargetErrors: Kubo's own message, retryable on 5xx/429 and network faults. */
function toTargetError(e: unknown): TargetError {
  const error = e as Error & { response?: { status?: number } };
  const status = error.name === "HTTPError" ? error.response?.status : undefined;
  if (status !== undefined) {
    return new TargetError(`HTTP ${status}: ${error.message}`, { retryable: isRetryableStatus(status), status });
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return new TargetError(detail ? `${error.message} (${detail})` : error.message, { retryable: true });
}

// Addresses a remote pinning service can dial: not loopback, not link-local, not RFC 1918 / ULA.
const UNREACHABLE =
  /^\/(ip4\/(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|0\.)|ip6\/(::1?\/|fe80:|f[cd][0-9a-f]{2}:)|dns4?\/localhost\/)/i;

export function publicOrigins(addresses: string[]): string[] {
  return [...new Set(addresses.filter((a) => !UNREACHABLE.test(a) && !a.includes("/p2p-circuit")))].sort();
}

/**
 * Imports `car` into the Kubo node at `target.url`, pinning its root, and confirms with `pin/ls` that `root` is
 * pinned recursively. Also returns the node's public addresses, which a pinning service can use as `origins`.
 */
export async function pinToKubo(
  target: KuboTarget,
  car: Uint8Array,
  root: CID,
  retry: RetryOptions,
  log: (line: string) => void = () => {},
): Promise<KuboPinResult> {
  const base = target.url.replace(/\/+$/, "");
  // Our own agents (no keep-alive) so no idle socket keeps the process alive once the publish is done.
  const agent = base.startsWith("https:") ? new HttpsAgent({ keepAlive: false }) : new Agent({ keepAlive: false });
  const kubo = create({
    url: base,
    agent,
    timeout: 120_000,
    headers: target.authorization ? { authorization: target.authorization } : undefined,
  });
  const label = `Kubo ${base}`;
  const onRetry = (error: Error, attempt: number, delayMs: number) =>
    log(`  ${label}: attempt ${attempt} failed (${error.message}); retrying in ${delayMs / 1000}s`);
  try {
    await withRetry(
      `${label}: dag/import`,
      async () => {
        let imported: CID | undefined;
        try {
          for await (const { root: r } of kubo.dag.import([car], { pinRoots: true })) {
            if (r.pinErrorMsg) throw new TargetError(`pinning ${r.cid} failed: ${r.pinErrorMsg}`, { retryable: true });
            imported = CID.decode(r.cid.bytes);
          }
        } catch (e) {
          throw e instanceof TargetError ? e : toTargetError(e);
        }
        if (imported === undefined) throw new TargetError("Kubo reported no pinned root", { retryable: true });
        if (!imported.equals(root)) {
          throw new TargetError(`Kubo pinned ${imported}, expected ${root}`, { retryable: false });
        }
      },
      { ...retry, onRetry },
    );
    await withRetry(
      `${label}: pin/ls`,
      async () => {
        try {
          for await (const pin of kubo.pin.ls({ paths: [root.toString()], type: "recursive" })) {
            if (CID.decode(pin.cid.bytes).toV1().equals(root.toV1())) return;
          }
        } catch (e) {
          throw toTargetError(e);
        }
        throw new TargetError(`${root} is not in the node's recursive pins`, { retryable: true });
      },
      { ...retry, onRetry },
    );
    let origins: string[] = [];
    try {
      const id = await kubo.id();
      origins = publicOrigins(id.addresses.map((a) => a.toString()));
    } catch {
      // Origins only speed up a pinning service's fetch; a node that hides `id` still holds the pin.
    }
    return { url: base, cid: root, origins };
  } finally {
    agent.destroy();
  }
}
