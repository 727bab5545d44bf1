// HTTP POST over node:http with a new connection per request. The benchmark's JSON-RPC traffic uses it instead of
// `fetch`: whenever the client layer holds the event loop (decoding a page, a garbage collection), a pooled
// keep-alive socket that the node closed meanwhile fails the next request ("other side closed"), a race browsers hide by
// retrying and a benchmark must not turn into a failed run or an extra counted request. On loopback a new
// connection costs well under a millisecond.
import { request } from "node:http";

export function post(
  url: string,
  init: { headers: Record<string, string>; body: string; signal?: AbortSignal },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: init.headers, agent: false, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}
