// A ticket at the door: the live text of the QR the fan's phone shows, its parsing (hostile: it comes from a camera
// or a paste) and the signatures the door checks. The buyer's wallet binds a key made on the fan's phone to the order
// once (EIP-712 `Ticket(orderId, key)`); that device key then signs the current 30-second step (`TicketCode(orderId,
// step)`) with no prompt, so the code changes every 30 seconds and a screenshot stops working a minute later.
// The door page (pages/door.ts) checks the code (client/door.ts ticketCodeVerdict), then the order on chain, and
// checks it in. No DOM here.
import { randomBytes, SigningKey } from "ethers/crypto";
import { TypedDataEncoder, verifyTypedData } from "ethers/hash";
import { computeAddress } from "ethers/transaction";
import { FanFacingError } from "./errors.ts";

/**
 * `merchstand-ticket:3:<chainId>:<contract>:<orderId>:<placedBlock>:<key>:<walletSig>:<step>:<codeSig>`
 * (docs/FORMATS.md "Ticket QR"); the version digit changes with the format. `placedBlock` is the block of the order's
 * OrderPlaced log, an unsigned hint (0: not known): the door reads that one block (client/placed.ts findPlaced).
 */
const V3 =
  /^merchstand-ticket:3:(?<chainId>[1-9]\d{0,15}):(?<contract>0x[0-9a-f]{40}):(?<orderId>[1-9]\d{0,77}):(?<block>0|[1-9]\d{0,12}):(?<key>0x[0-9a-f]{40}):(?<walletSig>0x[0-9a-f]{130}):(?<step>[1-9]\d{0,11}):(?<codeSig>0x[0-9a-f]{130})$/;
/** Versions 1 and 2: the buyer's signature alone, the same text forever, so a copy of it worked as well. */
const STATIC = /^merchstand-ticket:[12]:/;
/** The highest block a ticket may name: a trillion blocks, 250 years of 8 ms blocks. Any more is not a real chain's. */
export const MAX_TICKET_BLOCK = 1_000_000_000_000;
/** The longest payload a door accepts: version 3 with every field at its longest is 494 characters (~400 in use). */
export const MAX_TICKET_TEXT = 500;
/** How long one live code lasts. */
export const TICKET_STEP_SECONDS = 30;
/** How many steps a code may be behind or ahead of the door's clock: about a minute of skew either way. */
export const TICKET_STEP_TOLERANCE = 2;

/** The 30-second step of a time in milliseconds since 1970 (Date.now()). */
export function ticketStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TICKET_STEP_SECONDS);
}

/** A parsed version 3 ticket. `placedBlock`: null when the phone didn't know it (written 0). `key`: the device key's address. */
export type TicketPass = {
  chainId: number;
  contract: string;
  orderId: bigint;
  placedBlock: number | null;
  key: string;
  walletSig: string;
  step: number;
  codeSig: string;
};

const DOMAIN_TYPE = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
] as const;
/** Version "2": a version 1/2 signature of `Ticket(uint256 orderId)` never verifies as the new types. */
const domainOf = (chainId: number, contract: string) => ({
  name: "Merchstand ticket",
  version: "2",
  chainId,
  verifyingContract: contract,
});
const TICKET_TYPES = {
  Ticket: [
    { name: "orderId", type: "uint256" },
    { name: "key", type: "address" },
  ],
};
const CODE_TYPES = {
  TicketCode: [
    { name: "orderId", type: "uint256" },
    { name: "step", type: "uint64" },
  ],
};

/** What the buyer's wallet signs once per device (eth_signTypedData_v4): this device key may show the order's ticket. */
export function ticketTypedData(chainId: number, contract: string, orderId: bigint, key: string) {
  return {
    types: { EIP712Domain: [...DOMAIN_TYPE], Ticket: [...TICKET_TYPES.Ticket] },
    primaryType: "Ticket",
    domain: domainOf(chainId, contract),
    message: { orderId: orderId.toString(), key },
  } as const;
}

/** The QR's text. */
export function ticketText(pass: TicketPass): string {
  return [
    "merchstand-ticket:3",
    pass.chainId,
    pass.contract.toLowerCase(),
    pass.orderId,
    pass.placedBlock ?? 0,
    pass.key.toLowerCase(),
    pass.walletSig.toLowerCase(),
    pass.step,
    pass.codeSig.toLowerCase(),
  ].join(":");
}

const NOT_A_TICKET = "That is not a Merchstand ticket.";
/** What the door says to an old, static ticket (docs/FORMATS.md "Ticket QR"). */
export const STATIC_TICKET =
  "This is an old ticket code that never changes, so a copy of it could be anyone's. Ask the fan to open their order page and show the live ticket code there.";
type TicketFields = Record<
  "chainId" | "contract" | "orderId" | "block" | "key" | "walletSig" | "step" | "codeSig",
  string
>;

/** Reads a scanned or pasted ticket (version 3); anything else is a sentence for the door staff. */
export function parseTicket(text: string, expected: { chainId: number; contract: string }): TicketPass {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TICKET_TEXT) throw new FanFacingError("revert", NOT_A_TICKET);
  const groups = V3.exec(trimmed)?.groups as TicketFields | undefined;
  if (!groups) throw new FanFacingError("revert", STATIC.test(trimmed) ? STATIC_TICKET : NOT_A_TICKET);
  const placedBlock = Number(groups.block);
  const orderId = BigInt(groups.orderId);
  // An id above uint256 would reach the provider as a malformed topic: it is no ticket.
  if (placedBlock > MAX_TICKET_BLOCK || orderId >= 1n << 256n) throw new FanFacingError("revert", NOT_A_TICKET);
  if (Number(groups.chainId) !== expected.chainId || groups.contract !== expected.contract.toLowerCase()) {
    throw new FanFacingError("revert", "This ticket is for another Merchstand (another network or deployment).");
  }
  return {
    chainId: Number(groups.chainId),
    contract: groups.contract,
    orderId,
    placedBlock: placedBlock === 0 ? null : placedBlock,
    key: groups.key,
    walletSig: groups.walletSig,
    step: Number(groups.step),
    codeSig: groups.codeSig,
  };
}

/** The address whose wallet bound the pass's device key to its order (the buyer, if genuine); null if none recovers. */
export function ticketSigner(pass: Pick<TicketPass, "chainId" | "contract" | "orderId" | "key" | "walletSig">) {
  try {
    const message = { orderId: pass.orderId, key: pass.key };
    return verifyTypedData(domainOf(pass.chainId, pass.contract), TICKET_TYPES, message, pass.walletSig);
  } catch {
    return null;
  }
}

/** The address that signed the pass's live code (its device key, if genuine); null if none recovers. */
export function codeSigner(pass: TicketPass): string | null {
  try {
    const message = { orderId: pass.orderId, step: pass.step };
    return verifyTypedData(domainOf(pass.chainId, pass.contract), CODE_TYPES, message, pass.codeSig);
  } catch {
    return null;
  }
}

/** A device key bound to one order by its buyer's wallet: what the order page keeps on the phone. */
export type TicketBinding = { privateKey: string; walletSig: string };

const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/**
 * Makes a fresh device key (ethers' SigningKey over 32 random bytes from the browser) and asks the buyer's wallet to
 * bind it to `orderId` (one signature, no gas).
 */
export async function bindTicketKey(
  sign: (typed: object) => Promise<string>,
  chainId: number,
  contract: string,
  orderId: bigint,
): Promise<TicketBinding> {
  const privateKey = new SigningKey(randomBytes(32)).privateKey;
  const walletSig = await sign(ticketTypedData(chainId, contract, orderId, computeAddress(privateKey)));
  if (!SIGNATURE.test(walletSig)) throw new FanFacingError("wallet", "Your wallet returned an unexpected signature.");
  return { privateKey, walletSig: walletSig.toLowerCase() };
}

/**
 * A kept binding read back (hostile: localStorage may hold anything, an old version's text included): the binding if
 * it is well formed and its wallet signature is `buyer`'s for this order, else null (the page asks the wallet again).
 */
export function readBinding(
  kept: string | null,
  deployment: { chainId: number; contract: string },
  orderId: bigint,
  buyer: string,
): TicketBinding | null {
  try {
    const value = JSON.parse(kept ?? "null") as Partial<TicketBinding> | null;
    const { privateKey, walletSig } = value ?? {};
    if (typeof privateKey !== "string" || !/^0x[0-9a-f]{64}$/.test(privateKey)) return null;
    if (typeof walletSig !== "string" || !SIGNATURE.test(walletSig)) return null;
    const key = computeAddress(privateKey);
    const signer = ticketSigner({ ...deployment, orderId, key, walletSig });
    return signer?.toLowerCase() === buyer.toLowerCase() ? { privateKey, walletSig } : null;
  } catch {
    return null;
  }
}

/** The live QR text of `step`, signed by the device key (synchronous, no prompt). */
export function liveTicketText(
  binding: TicketBinding,
  deployment: { chainId: number; contract: string },
  orderId: bigint,
  placedBlock: number | null,
  step: number,
): string {
  const signingKey = new SigningKey(binding.privateKey);
  const digest = TypedDataEncoder.hash(domainOf(deployment.chainId, deployment.contract), CODE_TYPES, {
    orderId,
    step,
  });
  return ticketText({
    ...deployment,
    orderId,
    placedBlock,
    key: computeAddress(signingKey.publicKey),
    walletSig: binding.walletSig,
    step,
    codeSig: signingKey.sign(digest).serialized,
  });
}
