// Signs typed data as a wallet's eth_signTypedData_v4 does for the dapp's client code (frontend/src/client/tickets.ts
// bindTicketKey hands it the whole typed data, EIP712Domain entry included, which ethers implies from the domain).
import type { Signer } from "ethers";

export const walletSigner = (wallet: Pick<Signer, "signTypedData">) => (typed: object) => {
  const t = typed as {
    domain: Record<string, unknown>;
    types: Record<string, { name: string; type: string }[]>;
    message: Record<string, unknown>;
  };
  const { EIP712Domain: _, ...types } = t.types;
  return wallet.signTypedData(t.domain, types, t.message);
};
