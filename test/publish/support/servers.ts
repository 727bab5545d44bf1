// Loopback stand-ins for the remote services publish and deploy talk to: a Kubo RPC API, a Pinning Service API and
// a JSON-RPC node. Each records every request as it arrived on the wire and can be scripted to fail.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readCar } from "./car-reader.ts";

export type Recorded = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
};

export type Reply = { status: number; json?: unknown; text?: string; contentType?: string };

export type Server = { url: string; requests: Recorded[]; close(): Promise<void> };

type Handler = (req: Recorded, res: ServerResponse) => Promise<void> | void;

export async function startServer(handler: Handler): Promise<Server> {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://loopback");
    const recorded: Recorded = {
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(recorded);
    try {
      await handler(recorded, res);
    } catch (e) {
      send(res, { status: 599, text: `mock handler crashed: ${(e as Error).message}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(res: ServerResponse, reply: Reply): void {
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
  res.writeHead(reply.status, {
    "content-type": reply.contentType ?? (reply.json !== undefined ? "application/json" : "text/plain"),
  });
  res.end(body);
}

/**
 * Scripted failures per route ("POST /api/v0/dag/import"): each request takes the next reply from the list; with
 * `always`, every request to the route gets it.
 */
export type FailureScript = Record<string, { replies?: Reply[]; always?: Reply }>;

function scripted(script: FailureScript, req: Recorded): Reply | undefined {
  const entry = script[`${req.method} ${req.path}`];
  if (entry === undefined) return undefined;
  if (entry.always) return entry.always;
  return entry.replies?.shift();
}

/** The parts of a multipart/form-data body, as raw bytes. */
export function multipartParts(req: Recorded): { headers: string; body: Buffer }[] {
  const type = req.headers["content-type"] ?? "";
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (boundary === undefined) throw new Error(`not multipart: ${type}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: string; body: Buffer }[] = [];
  let pos = req.body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (req.body.subarray(start, start + 2).toString() === "--") break;
    const next = req.body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = req.body.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const split = part.indexOf("\r\n\r\n");
    parts.push({ headers: part.subarray(0, split).toString(), body: part.subarray(split + 4) });
    pos = next;
  }
  return parts;
}

export const KUBO_PEER = "12D3KooWSnkYQAs8qN6wWGmrcm7SRBxQcjsnRBEMWhf5WVpJ7emS";

export type MockKubo = Server & { pinned: Set<string>; imports: Buffer[] };

/** Kubo RPC: dag/import (multipart CAR, pin-roots), pin/ls (stream=true ndjson), id. */
export async function startMockKubo(script: FailureScript = {}): Promise<MockKubo> {
  const pinned = new Set<string>();
  const imports: Buffer[] = [];
  const server = await startServer(async (req, res) => {
    const failure = scripted(script, req);
    if (failure) return send(res, failure);
    if (req.method !== "POST") return send(res, { status: 405, text: "405 - Method Not Allowed" });
    if (req.path === "/api/v0/dag/import") {
      const cars = multipartParts(req).map((p) => p.body);
      const roots: string[] = [];
      for (const car of cars) {
        imports.push(car);
        for (const root of (await readCar(car)).roots) roots.push(root.toString());
      }
      const pin = req.query.get("pin-roots") === "true";
      if (pin) for (const r of roots) pinned.add(r);
      const lines = pin ? roots.map((r) => JSON.stringify({ Root: { Cid: { "/": r }, PinErrorMsg: "" } })) : [];
      return send(res, { status: 200, text: lines.map((l) => `${l}\n`).join(""), contentType: "application/json" });
    }
    if (req.path === "/api/v0/pin/ls") {
      const arg = req.query.get("arg") ?? "";
      if (!pinned.has(arg)) {
        return send(res, { status: 500, json: { Message: `path '${arg}' is not pinned`, Code: 0, Type: "error" } });
      }
      return send(res, { status: 200, text: `${JSON.stringify({ Cid: arg, Type: "recursive" })}\n` });
    }
    if (req.path === "/api/v0/id") {
      return send(res, {
        status: 200,
        json: {
          ID: KUBO_PEER,
          Addresses: [
            `/ip4/127.0.0.1/tcp/4001/p2p/${KUBO_PEER}`,
            `/ip4/192.168.1.20/tcp/4001/p2p/${KUBO_PEER}`,
            `/ip4/203.0.113.7/tcp/4001/p2p/${KUBO_PEER}`,
          ],
        },
      });
    }
    return send(res, { status: 404, text: "404 page not found" });
  });
  return Object.assign(server, { pinned, imports });
}

export type MockPin = {
  requestid: string;
  status: "queued" | "pinning" | "pinned" | "failed";
  created: string;
  pin: { cid: string; name?: string; origins?: string[] };
  delegates: string[];
};

export type MockPinningService = Server & { pins: MockPin[] };

/**
 * Pinning Service API with bearer auth. A new pin starts "queued" and moves one step (pinning, then `finalStatus`)
 * each time GET /pins reports it, the way a real service makes progress between polls.
 */
export async function startMockPinningService(
  options: { token: string; script?: FailureScript; finalStatus?: "pinned" | "failed"; pins?: MockPin[] } = {
    token: "t",
  },
): Promise<MockPinningService> {
  const pins: MockPin[] = options.pins ?? [];
  const script = options.script ?? {};
  let next = 1;
  const server = await startServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return send(res, {
        status: 401,
        json: { error: { reason: "UNAUTHORIZED", details: "Access token is missing or invalid" } },
      });
    }
    const failure = scripted(script, req);
    if (failure) return send(res, failure);
    if (req.method === "POST" && req.path === "/pins") {
      const body = JSON.parse(req.body.toString()) as MockPin["pin"];
      if (typeof body.cid !== "string")
        return send(res, { status: 400, json: { error: { reason: "BAD_REQUEST", details: "cid is required" } } });
      const pin: MockPin = {
        requestid: `req-${next++}`,
        status: "queued",
        created: "2026-11-21T00:00:00Z",
        pin: body,
        delegates: [`/ip4/198.51.100.1/tcp/4001/p2p/${KUBO_PEER}`],
      };
      pins.push(pin);
      return send(res, { status: 202, json: pin });
    }
    if (req.method === "GET" && req.path === "/pins") {
      const cids = req.query.get("cid")?.split(",") ?? [];
      const statuses = req.query.get("status")?.split(",") ?? ["pinned"];
      const matching = pins.filter(
        (p) => (cids.length === 0 || cids.includes(p.pin.cid)) && statuses.includes(p.status),
      );
      const results = matching.map((p) => ({ ...p, pin: { ...p.pin } }));
      for (const p of matching) {
        if (p.status === "queued") p.status = "pinning";
        else if (p.status === "pinning") p.status = options.finalStatus ?? "pinned";
      }
      return send(res, { status: 200, json: { count: results.length, results } });
    }
    return send(res, { status: 404, json: { error: { reason: "NOT_FOUND", details: `${req.method} ${req.path}` } } });
  });
  return Object.assign(server, { pins });
}
