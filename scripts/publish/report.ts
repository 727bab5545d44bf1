// What `npm run publish` prints at the end: the CID, where it is pinned, gateway links, ENS contenthash, DNSLink.
export type Pinned = { target: string; where: string; detail?: string };
export type Failed = { target: string; where: string; error: string };

export type PublishResult = {
  network: string;
  chainId: number;
  cid: string;
  car: string;
  files: number;
  bytes: number;
  gatewayLinks: string[];
  localGatewayLink: string | null;
  ensContenthash: string;
  dnslink: string;
  pinned: Pinned[];
  failed: Failed[];
};

export function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${(n / 1_048_576).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

export function publishReport(result: PublishResult, chainName: string): string {
  const { pinned, failed } = result;
  const out: string[] = [
    failed.length === 0
      ? `\nPublished the Merchstand dapp for ${chainName} (chain ${result.chainId})`
      : `\nPublish INCOMPLETE: pinned to ${pinned.length} of ${pinned.length + failed.length} targets`,
    `  CID (v1, base32)   ${result.cid}`,
    "  Pinned:",
  ];
  for (const p of pinned) out.push(`    ok      ${p.target}  ${p.where}${p.detail ? `  (${p.detail})` : ""}`);
  for (const f of failed) out.push(`    FAILED  ${f.target}  ${f.where}\n            ${f.error}`);
  out.push("  Gateway links:");
  for (const l of result.gatewayLinks) out.push(`    ${l}`);
  if (result.localGatewayLink) out.push(`    ${result.localGatewayLink}   (local stack gateway, while npm start runs)`);
  out.push(`  ENS contenthash    ${result.ensContenthash}`);
  out.push(`  DNSLink TXT        _dnslink.<your domain>  "${result.dnslink}"`);
  return `${out.join("\n")}\n`;
}
