// What a maintainer needs to point names and people at a published CID.
import { base32 } from "multiformats/bases/base32";
import type { CID } from "multiformats/cid";

/** Subdomain gateways give each site its own origin, which a dapp needs (storage, wallets' per-origin permissions). */
export const SUBDOMAIN_GATEWAYS = ["dweb.link", "w3s.link"];

/** CIDv1 in base32: the form DNS labels, subdomain gateways and ENS tooling expect. */
export function cidV1Base32(cid: CID): string {
  return cid.toV1().toString(base32);
}

export function subdomainGatewayUrls(cid: CID, gateways = SUBDOMAIN_GATEWAYS): string[] {
  return gateways.map((host) => `https://${cidV1Base32(cid)}.ipfs.${host}/`);
}

/** The local stack's gateway (http://127.0.0.1:<port>) serves subdomain URLs under *.ipfs.localhost. */
export function localGatewayUrl(cid: CID, gatewayUrl: string): string {
  const url = new URL(gatewayUrl);
  return `${url.protocol}//${cidV1Base32(cid)}.ipfs.localhost${url.port ? `:${url.port}` : ""}/`;
}

/**
 * ENSIP-7 / EIP-1577 contenthash of an IPFS CID: the multicodec `ipfs-ns` (0xe3, varint-encoded as 0xe3 0x01)
 * followed by the binary CIDv1. Set it with the resolver's setContenthash(node, bytes).
 */
export function ensContenthash(cid: CID): `0x${string}` {
  const bytes = cid.toV1().bytes;
  return `0xe301${Buffer.from(bytes).toString("hex")}`;
}

/** Value of the TXT record at _dnslink.<host>. */
export function dnslinkTxt(cid: CID): string {
  return `dnslink=/ipfs/${cidV1Base32(cid)}`;
}
