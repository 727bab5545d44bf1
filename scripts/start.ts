// `npm start`: the whole decentralized stack on one machine. A Hardhat node, Merchstand deployed with its Ignition
// module, a seeded demo catalog, an embedded IPFS node with a local gateway, and the dapp built, added to IPFS and
// served from it. `npm start -- --help` lists the flags (ports, --no-seed, --rpc, --kubo, ...).
import { main } from "./stack/cli.ts";

await main("start");
