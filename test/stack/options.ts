import { expect } from "chai";
import { UsageError } from "../../scripts/cli/options.ts";
import { parseStackOptions, usage } from "../../scripts/stack/options.ts";

describe("stack options", () => {
  describe("with nothing set", () => {
    it("uses the documented default ports, the embedded node and the demo seed", () => {
      const options = parseStackOptions("start", [], {});
      expect(options).to.include({
        rpcPort: 8545,
        gatewayPort: 8080,
        rpcUrl: null,
        kuboUrl: null,
        seed: true,
        rebuild: false,
      });
      expect(options.ipfsRepo).to.match(/\.merchstand\/ipfs$/);
    });
  });

  describe("when a flag and its environment variable are both set", () => {
    it("takes the flag", () => {
      const options = parseStackOptions("start", ["--rpc-port", "9545", "--gateway-port=9080"], {
        MERCHSTAND_RPC_PORT: "7545",
        MERCHSTAND_GATEWAY_PORT: "7080",
      });
      expect(options.rpcPort).to.equal(9545);
      expect(options.gatewayPort).to.equal(9080);
    });
  });

  describe("with environment variables only", () => {
    it("reads every setting from them", () => {
      const options = parseStackOptions("dev", [], {
        MERCHSTAND_RPC_PORT: "7545",
        MERCHSTAND_DEV_PORT: "7173",
        MERCHSTAND_RPC_URL: "http://10.0.0.2:8545/",
        MERCHSTAND_KUBO_URL: "http://127.0.0.1:5001",
        MERCHSTAND_NO_SEED: "1",
        MERCHSTAND_IPFS_REPO: "/tmp/somewhere",
      });
      expect(options).to.include({
        devPort: 7173,
        rpcUrl: "http://10.0.0.2:8545",
        kuboUrl: "http://127.0.0.1:5001",
        seed: false,
        ipfsRepo: "/tmp/somewhere",
      });
    });
  });

  describe("when a value is malformed", () => {
    const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
      ["a port that is not a number", ["--rpc-port", "eighty"], {}, /--rpc-port must be a port number.*"eighty"/],
      [
        "a port out of range",
        [],
        { MERCHSTAND_GATEWAY_PORT: "70000" },
        /MERCHSTAND_GATEWAY_PORT must be a port number/,
      ],
      ["an RPC URL that is not http", ["--rpc", "ws://127.0.0.1:8545"], {}, /--rpc must be an http\(s\) URL/],
      ["a Kubo URL that is not a URL", [], { MERCHSTAND_KUBO_URL: "localhost:5001x" }, /MERCHSTAND_KUBO_URL must be/],
      [
        "a switch that is not a boolean",
        [],
        { MERCHSTAND_NO_SEED: "maybe" },
        /MERCHSTAND_NO_SEED must be 1\/true or 0\/false/,
      ],
      ["an unknown flag", ["--seed-twice"], {}, /Unknown option "--seed-twice"/],
      ["a flag without its value", ["--kubo"], {}, /--kubo needs a value/],
      ["a dev-only flag given to start", ["--dev-port", "5000"], {}, /Unknown option "--dev-port"/],
      [
        "two servers on one port",
        ["--rpc-port", "9000", "--gateway-port", "9000"],
        {},
        /--rpc-port and --gateway-port are both 9000/,
      ],
    ];
    for (const [what, argv, env, message] of cases) {
      it(`refuses ${what} with a sentence naming it`, () => {
        expect(() => parseStackOptions("start", argv, env)).to.throw(UsageError, message);
      });
    }

    it("lets the same port be reused when the server it would belong to is not started", () => {
      const options = parseStackOptions("start", ["--rpc", "http://127.0.0.1:9000", "--gateway-port", "9000"], {});
      expect(options.gatewayPort).to.equal(9000);
    });
  });

  describe("usage", () => {
    it("lists each flag with its environment variable", () => {
      const text = usage("dev");
      for (const pair of [
        "--rpc-port <port>",
        "MERCHSTAND_RPC_PORT",
        "--dev-port <port>",
        "MERCHSTAND_DEV_PORT",
        "--kubo <url>",
        "--no-seed",
      ]) {
        expect(text).to.include(pair);
      }
      expect(usage("start")).not.to.include("--dev-port");
    });
  });
});
