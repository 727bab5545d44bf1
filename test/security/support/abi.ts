// ABI helpers of the security suites: a well-formed call of any function, for tests that call every function of an
// ABI (test/security/Reentrancy.ts, test/security/ModuleRoute.ts).
import type { ParamType } from "ethers";

const ZERO = "0x0000000000000000000000000000000000000000";

/** The zero value of an ABI type: guards and routes are checked before arguments matter, so any well-formed call does. */
export function zeroOf(p: ParamType): unknown {
  if (p.baseType === "tuple") return (p.components ?? []).map(zeroOf);
  if (p.baseType === "array") {
    const child = p.arrayChildren;
    const length = p.arrayLength ?? -1;
    if (child === null) throw new Error(`array without child type: ${p.format()}`);
    return length > 0 ? Array.from({ length }, () => zeroOf(child)) : [];
  }
  if (p.baseType === "string") return "";
  if (p.baseType === "bytes") return "0x";
  if (p.baseType === "address") return ZERO;
  if (p.baseType === "bool") return false;
  const fixed = /^bytes(\d+)$/.exec(p.baseType);
  if (fixed !== null) return `0x${"00".repeat(Number(fixed[1]))}`;
  if (/^u?int\d*$/.test(p.baseType)) return 0n;
  throw new Error(`no zero value for ${p.type}`);
}
