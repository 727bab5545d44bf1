// A ticket at the door: the text of the QR the fan's phone shows (the order id, signed by the buyer's wallet for
// this chain and contract, EIP-712), its parsing (hostile: it comes from a camera or a paste) and the check that
// the signer is the order's buyer. The door page (pages/door.ts) then checks the order on chain and checks it in.
// No DOM here.
import { verifyTypedData } from "ethers/hash";
import { FanFacingError } from "./errors.ts";

/** `merchstand-ticket:1:<chainId>:<contract>:<orderId>:<signature>`; the version digit changes with the format. */
const PREFIX = "merchstand-ticket:1";
const PAYLOAD = /^merchstand-ticket:1:([1-9]\d{0,15}):(0x[0-9a-fA-F]{40}):([1-9]\d{0,77}):(0x[0-9a-fA-F]{130})$/;
/** The longest payload a door accepts (a QR of the format above is ~230 characters). */
export const MAX_TICKET_TEXT = 400;

export type TicketPass = { chainId: number; contract: string; orderId: bigint; signature: string };

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

export function ticketText(pass: TicketPass): string {
  return `${PREFIX}:${pass.chainId}:${pass.contract.toLowerCase()}:${pass.orderId}:${pass.signature.toLowerCase()}`;
}

/** Reads a scanned or pasted ticket; anything else is a sentence for the door staff. */
export function parseTicket(text: string, expected: { chainId: number; contract: string }): TicketPass {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TICKET_TEXT) throw new FanFacingError("revert", "That is not a Merchstand ticket.");
  const m = PAYLOAD.exec(trimmed);
  if (!m) throw new FanFacingError("revert", "That is not a Merchstand ticket.");
  const [, chainId, contract, orderId, signature] = m as unknown as [string, string, string, string, string];
  if (Number(chainId) !== expected.chainId || contract.toLowerCase() !== expected.contract.toLowerCase()) {
    throw new FanFacingError("revert", "This ticket is for another Merchstand (another network or deployment).");
  }
  return { chainId: Number(chainId), contract, orderId: BigInt(orderId), signature };
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

/** Asks the buyer's wallet to sign the ticket of `orderId` (no gas) and answers the QR's text. */
export async function signTicket(
  sign: (typed: object) => Promise<string>,
  chainId: number,
  contract: string,
  orderId: bigint,
): Promise<string> {
  const signature = await sign(ticketTypedData(chainId, contract, orderId));
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature))
    throw new FanFacingError("wallet", "Your wallet returned an unexpected signature.");
  return ticketText({ chainId, contract, orderId, signature });
}
