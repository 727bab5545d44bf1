// A ticket at the door: the text of the QR the fan's phone shows (the order id, signed by the buyer's wallet for
// this chain and contract, EIP-712), its parsing (hostile: it comes from a camera or a paste) and the check that
// the signer is the order's buyer. The door page (pages/door.ts) then checks the order on chain and checks it in.
// No DOM here.
import { verifyTypedData } from "ethers/hash";
import { FanFacingError } from "./errors.ts";

/**
 * `merchstand-ticket:2:<chainId>:<contract>:<orderId>:<placedBlock>:<signature>` (docs/FORMATS.md "Ticket QR"); the
 * version digit changes with the format. `placedBlock` is the block of the order's OrderPlaced log, an unsigned hint
 * outside the signature: the door reads that one block (client/placed.ts findPlaced) and checks the log it finds there,
 * and a wrong block only costs the scan from the deployment. Version 1 has no block; it is still read (QRs saved or
 * screenshotted before), and the door finds those orders by the scan.
 */
const V1 =
  /^merchstand-ticket:1:(?<chainId>[1-9]\d{0,15}):(?<contract>0x[0-9a-fA-F]{40}):(?<orderId>[1-9]\d{0,77}):(?<signature>0x[0-9a-fA-F]{130})$/;
const V2 =
  /^merchstand-ticket:2:(?<chainId>[1-9]\d{0,15}):(?<contract>0x[0-9a-fA-F]{40}):(?<orderId>[1-9]\d{0,77}):(?<block>[1-9]\d{0,12}):(?<signature>0x[0-9a-fA-F]{130})$/;
/** The highest block a ticket may name: a trillion blocks, 250 years of 8 ms blocks. Any more is not a real chain's. */
export const MAX_TICKET_BLOCK = 1_000_000_000_000;
/** The longest payload a door accepts (a QR of the format above is ~245 characters). */
export const MAX_TICKET_TEXT = 400;

/** `placedBlock`: where the order was placed (version 2), null for a version 1 ticket. */
export type TicketPass = {
  chainId: number;
  contract: string;
  orderId: bigint;
  placedBlock: number | null;
  signature: string;
};

/** The EIP-712 typed data a buyer signs for one order's ticket (domain: this deployment). */
export function ticketTypedData(chainId: number, contract: string, orderId: bigint) {
  return {
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      Ticket: [{ name: "orderId", type: "uint256" }],
    },
    primaryType: "Ticket",
    domain: { name: "Merchstand ticket", version: "1", chainId, verifyingContract: contract },
    message: { orderId: orderId.toString() },
  } as const;
}

/** The QR's text: version 2 when the pass names its block, else version 1. */
export function ticketText(pass: TicketPass): string {
  const head = `${pass.chainId}:${pass.contract.toLowerCase()}:${pass.orderId}`;
  const signature = pass.signature.toLowerCase();
  return pass.placedBlock === null
    ? `merchstand-ticket:1:${head}:${signature}`
    : `merchstand-ticket:2:${head}:${pass.placedBlock}:${signature}`;
}

const NOT_A_TICKET = "That is not a Merchstand ticket.";
/** The named groups of V1 and V2 (`block` in V2 only). */
type TicketFields = { chainId: string; contract: string; orderId: string; block?: string; signature: string };

/** Reads a scanned or pasted ticket (version 2 or 1); anything else is a sentence for the door staff. */
export function parseTicket(text: string, expected: { chainId: number; contract: string }): TicketPass {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TICKET_TEXT) throw new FanFacingError("revert", NOT_A_TICKET);
  const groups = (V2.exec(trimmed) ?? V1.exec(trimmed))?.groups as TicketFields | undefined;
  if (!groups) throw new FanFacingError("revert", NOT_A_TICKET);
  const placedBlock = groups.block === undefined ? null : Number(groups.block);
  if (placedBlock !== null && placedBlock > MAX_TICKET_BLOCK) throw new FanFacingError("revert", NOT_A_TICKET);
  if (
    Number(groups.chainId) !== expected.chainId ||
    groups.contract.toLowerCase() !== expected.contract.toLowerCase()
  ) {
    throw new FanFacingError("revert", "This ticket is for another Merchstand (another network or deployment).");
  }
  return {
    chainId: Number(groups.chainId),
    contract: groups.contract,
    orderId: BigInt(groups.orderId),
    placedBlock,
    signature: groups.signature,
  };
}

/** The address that signed the ticket, or null when the signature does not recover. */
export function ticketSigner(pass: TicketPass): string | null {
  const typed = ticketTypedData(pass.chainId, pass.contract, pass.orderId);
  try {
    return verifyTypedData(typed.domain, { Ticket: [...typed.types.Ticket] }, typed.message, pass.signature);
  } catch {
    return null;
  }
}

/** Asks the buyer's wallet to sign the ticket of `orderId` (no gas) and answers the QR's text (version 2 with a block). */
export async function signTicket(
  sign: (typed: object) => Promise<string>,
  chainId: number,
  contract: string,
  orderId: bigint,
  placedBlock: number | null,
): Promise<string> {
  const signature = await sign(ticketTypedData(chainId, contract, orderId));
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature))
    throw new FanFacingError("wallet", "Your wallet returned an unexpected signature.");
  return ticketText({ chainId, contract, orderId, placedBlock, signature });
}

/**
 * The version 2 text of a ticket text kept on this device (either version), for order `orderId` placed in
 * `placedBlock`: the same signature, so no new wallet prompt. null when the kept text is not this order's ticket.
 */
export function renewTicketText(
  kept: string,
  expected: { chainId: number; contract: string },
  orderId: bigint,
  placedBlock: number | null,
): string | null {
  try {
    const pass = parseTicket(kept, expected);
    return pass.orderId === orderId ? ticketText({ ...pass, placedBlock }) : null;
  } catch {
    return null;
  }
}
