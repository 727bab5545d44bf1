// What staff, arbiters and verifiers read from logs: the stores an account runs and their managers, the ids a
// receipt announces, disputes by arbiter, the verification history and queue, and store terms read once each.
import { getAddress } from "ethers/address";
import { byPosition, type Chain, type RawLog } from "./chain.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { addressTopic, uintTopic } from "./hex.ts";
import { PromiseCache } from "./memo.ts";
import { loadOrdersById, type OrderRecord } from "./orders.ts";
import type { Store, StoreTerms } from "./protocol.ts";

/** The protocol's events among a receipt's logs (other contracts' logs and unknown topics are skipped). */
function receiptEvents(logs: readonly Pick<RawLog, "topics" | "data">[]) {
  const known = new Set([topicOf("StoreOpened"), topicOf("ProductListed")]);
  return logs.filter((l) => l.topics[0] !== undefined && known.has(l.topics[0])).map((l) => decodeEvent(l));
}

/** The store id the StoreOpened log of an openStore receipt names. */
export function openedStoreId(logs: readonly Pick<RawLog, "topics" | "data">[]): bigint | null {
  for (const event of receiptEvents(logs)) if (event?.name === "StoreOpened") return event.args.storeId;
  return null;
}

/** The product id the ProductListed log of a listProduct receipt names. */
export function listedProductId(logs: readonly Pick<RawLog, "topics" | "data">[]): bigint | null {
  for (const event of receiptEvents(logs)) if (event?.name === "ProductListed") return event.args.productId;
  return null;
}

export type StaffStore = { store: Store; role: "owner" | "manager" };

/** The stores `account` runs: those it owns, and those whose owner made it a manager (and still does). */
export async function loadStaffStores(
  chain: Chain,
  stores: readonly Store[],
  account: string,
  deploymentBlock: number,
): Promise<StaffStore[]> {
  const me = account.toLowerCase();
  const owned: StaffStore[] = stores
    .filter((s) => s.owner.toLowerCase() === me)
    .map((store) => ({ store, role: "owner" }));
  const logs = await chain.getLogs({
    topics: [topicOf("StoreManagerSet"), null, addressTopic(account)],
    fromBlock: deploymentBlock,
  });
  const candidates = new Set(logs.map((l) => BigInt(l.topics[1] ?? "0x0")));
  const managed: StaffStore[] = [];
  for (const id of candidates) {
    const store = stores.find((s) => s.id === id);
    if (!store || store.owner.toLowerCase() === me) continue;
    // isStoreStaff is the truth: an ownership transfer drops managers without a StoreManagerSet log.
    if (await chain.read("isStoreStaff", [id, account])) managed.push({ store, role: "manager" });
  }
  return [...owned, ...managed].sort((a, b) => Number(a.store.id - b.store.id));
}

/**
 * The stores whose owner proposed `account` as the new owner and that still wait for it to accept: candidates from
 * StoreOwnershipProposed logs, confirmed with pendingStoreOwner (a later proposal or a withdrawal replaces one).
 */
export async function loadOfferedStores(
  chain: Chain,
  stores: readonly Store[],
  account: string,
  deploymentBlock: number,
): Promise<Store[]> {
  const logs = await chain.getLogs({
    topics: [topicOf("StoreOwnershipProposed"), null, null, addressTopic(account)],
    fromBlock: deploymentBlock,
  });
  const candidates = new Set(logs.map((l) => BigInt(l.topics[1] ?? "0x0")));
  const out: Store[] = [];
  for (const id of candidates) {
    const store = stores.find((s) => s.id === id);
    if (!store) continue;
    const pending = await chain.read("pendingStoreOwner", [id]);
    if (pending.toLowerCase() === account.toLowerCase()) out.push(store);
  }
  return out.sort((a, b) => Number(a.id - b.id));
}

/** The store's current managers, from StoreManagerSet logs, confirmed one by one with isStoreStaff. */
export async function loadManagers(chain: Chain, storeId: bigint, deploymentBlock: number): Promise<string[]> {
  const logs = await chain.getLogs({
    topics: [topicOf("StoreManagerSet"), uintTopic(storeId)],
    fromBlock: deploymentBlock,
  });
  const enabled = new Map<string, string>();
  for (const log of logs.sort(byPosition)) {
    const parsed = decodeEvent(log);
    if (parsed?.name !== "StoreManagerSet") continue;
    const manager = getAddress(parsed.args.manager);
    if (parsed.args.enabled) enabled.set(manager.toLowerCase(), manager);
    else enabled.delete(manager.toLowerCase());
  }
  const out: string[] = [];
  for (const manager of enabled.values()) {
    if (await chain.read("isStoreStaff", [storeId, manager])) out.push(manager);
  }
  return out;
}

/** Terms by store and version, read once each (they never change once written). */
export class TermsCache {
  private readonly cache = new PromiseCache<string, StoreTerms>();
  private readonly chain: Chain;
  constructor(chain: Chain) {
    this.chain = chain;
  }
  get(storeId: bigint, version: number): Promise<StoreTerms> {
    return this.cache.get(`${storeId}:${version}`, () => this.chain.storeTerms(storeId, version));
  }
}

export type Dispute = { record: OrderRecord; terms: StoreTerms; reason: string };

/**
 * Disputes whose arbiter is `arbiter`: every disputed order, rebuilt from logs, kept when the terms it was placed
 * under (storeTerms(storeId, termsVersion)) name this arbiter. Settled ones are returned too, for the history.
 */
export async function loadArbiterDisputes(
  chain: Chain,
  arbiter: string,
  deploymentBlock: number,
  terms: TermsCache = new TermsCache(chain),
): Promise<Dispute[]> {
  const logs = await chain.getLogs({ topics: [topicOf("OrderDisputed")], fromBlock: deploymentBlock });
  const ids = logs.map((l) => BigInt(l.topics[1] ?? "0x0"));
  const records = await loadOrdersById(chain, ids, deploymentBlock);
  const me = arbiter.toLowerCase();
  const out: Dispute[] = [];
  for (const record of records) {
    const t = await terms.get(record.order.storeId, record.order.termsVersion);
    if (t.arbiter.toLowerCase() !== me) continue;
    const disputed = record.timeline.find((e) => e.kind === "disputed");
    out.push({ record, terms: t, reason: String(disputed?.detail.reason ?? "") });
  }
  return out.sort((a, b) => (a.record.id < b.record.id ? 1 : -1));
}

export type VerificationRequest = { storeId: bigint; evidence: string; blockNumber: number; txHash: string };

export type OfficialEvent =
  | { kind: "requested"; storeId: bigint; evidence: string; blockNumber: number }
  | { kind: "attested"; storeId: bigint; evidence: string; by: string; blockNumber: number }
  | { kind: "revoked"; storeId: bigint; reason: string; by: string; blockNumber: number };

/** Verification requests, attestations and revocations, oldest first; one store's when `storeId` is given. */
export async function loadOfficialHistory(
  chain: Chain,
  deploymentBlock: number,
  storeId?: bigint,
): Promise<OfficialEvent[]> {
  const logs = await chain.getLogs({
    topics: [
      [topicOf("VerificationRequested"), topicOf("OfficialAttested"), topicOf("OfficialRevoked")],
      storeId === undefined ? null : uintTopic(storeId),
    ],
    fromBlock: deploymentBlock,
  });
  const out: OfficialEvent[] = [];
  for (const log of logs.sort(byPosition)) {
    const parsed = decodeEvent(log);
    const blockNumber = Number(BigInt(log.blockNumber));
    if (parsed?.name === "VerificationRequested") {
      const { storeId, evidence } = parsed.args;
      out.push({ kind: "requested", storeId, evidence, blockNumber });
    } else if (parsed?.name === "OfficialAttested") {
      const { storeId, evidence, verifier } = parsed.args;
      out.push({ kind: "attested", storeId, evidence, by: verifier, blockNumber });
    } else if (parsed?.name === "OfficialRevoked") {
      const { storeId, reason, by } = parsed.args;
      out.push({ kind: "revoked", storeId, reason, by, blockNumber });
    }
  }
  return out;
}

export type VerificationQueueItem = {
  storeId: bigint;
  /** The newest evidence the store asked with. */
  evidence: string;
  requests: number;
  lastRequestBlock: number;
  /** A request newer than the store's last attestation or revocation: waiting for a verifier. */
  pending: boolean;
};

/** One entry per store that ever asked, newest request first; pending ones first. */
export function verificationQueue(events: readonly OfficialEvent[]): VerificationQueueItem[] {
  const byStore = new Map<bigint, VerificationQueueItem>();
  for (const e of events) {
    const item = byStore.get(e.storeId);
    if (e.kind === "requested") {
      byStore.set(e.storeId, {
        storeId: e.storeId,
        evidence: e.evidence,
        requests: (item?.requests ?? 0) + 1,
        lastRequestBlock: e.blockNumber,
        pending: true,
      });
    } else if (item) item.pending = false;
  }
  return [...byStore.values()].sort(
    (a, b) => Number(b.pending) - Number(a.pending) || b.lastRequestBlock - a.lastRequestBlock,
  );
}
