import { expect } from "chai";
import { CID } from "multiformats/cid";
import {
  cidV1Base32,
  dnslinkTxt,
  ensContenthash,
  localGatewayUrl,
  subdomainGatewayUrls,
} from "../../scripts/publish/links.ts";

describe("scripts/publish/links.ts", () => {
  describe("ensContenthash", () => {
    // The IPFS example of EIP-1577 / ENSIP-7, as also used by go-ens and @ensdomains/content-hash's tests.
    const V0 = "QmRAQB6YaCyidP37UdDnjFY5vQuiBrcqdyoW1CuDgwxkD4";
    const V1 = "bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4";
    const CONTENTHASH = "0xe3010170122029f2d17be6139079dc48696d1f582a8530eb9805b561eda517e22a892c7e3f1f";

    it("encodes the EIP-1577 vector from its CIDv1", () => {
      expect(ensContenthash(CID.parse(V1))).to.equal(CONTENTHASH);
    });

    it("encodes a CIDv0 as its CIDv1 (the same bytes as the vector)", () => {
      expect(ensContenthash(CID.parse(V0))).to.equal(CONTENTHASH);
    });

    it("keeps the codec of a raw-leaf CID (0x55), not only dag-pb", () => {
      const raw = CID.parse("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
      expect(ensContenthash(raw)).to.match(/^0xe3010155/);
    });
  });

  it("prints the CID as CIDv1 base32 whatever form it came in", () => {
    expect(cidV1Base32(CID.parse("QmRAQB6YaCyidP37UdDnjFY5vQuiBrcqdyoW1CuDgwxkD4"))).to.equal(
      "bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4",
    );
  });

  it("builds the DNSLink TXT value", () => {
    const cid = CID.parse("bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4");
    expect(dnslinkTxt(cid)).to.equal("dnslink=/ipfs/bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4");
  });

  it("builds subdomain gateway links whose first label fits DNS (<= 63 chars)", () => {
    const cid = CID.parse("bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4");
    const urls = subdomainGatewayUrls(cid);
    expect(urls).to.deep.equal([
      "https://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4.ipfs.dweb.link/",
      "https://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4.ipfs.w3s.link/",
    ]);
    for (const url of urls) expect(new URL(url).hostname.split(".")[0]!.length).to.be.at.most(63);
    expect(localGatewayUrl(cid, "http://127.0.0.1:8080")).to.equal(
      "http://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4.ipfs.localhost:8080/",
    );
  });
});
