// A Seaport 1.6 listing of one ERC-1155 for ETH or an ERC-20, with one fee recipient, as the two things Seaport
// needs: the OrderComponents the seller signs (EIP-712, domain "Seaport" version "1.6") and the BasicOrderParameters
// a buyer passes to `fulfillBasicOrder_efficient_6GL6yc`. Field names and enum values follow seaport-types 1.6.3
// (src/lib/ConsiderationStructs.sol and ConsiderationEnums.sol). Used by scripts/bench/seaport.ts.
import { type Signer, TypedDataEncoder, ZeroAddress, ZeroHash } from "ethers";

/** ConsiderationEnums.sol `ItemType`. */
export const ITEM_TYPE = { NATIVE: 0, ERC20: 1, ERC721: 2, ERC1155: 3 } as const;
/** ConsiderationEnums.sol `OrderType.FULL_OPEN`: no partial fills, no zone. */
export const ORDER_TYPE_FULL_OPEN = 0;
/**
 * ConsiderationEnums.sol `BasicOrderType`: orderType + 4 × route, where route 1 is ETH_TO_ERC1155 and route 3 is
 * ERC20_TO_ERC1155.
 */
export const BASIC_ORDER_TYPE = { ETH_TO_ERC1155_FULL_OPEN: 4, ERC20_TO_ERC1155_FULL_OPEN: 12 } as const;

export const SEAPORT_DOMAIN = { name: "Seaport", version: "1.6" } as const;

const ITEM_FIELDS = [
  { name: "itemType", type: "uint8" },
  { name: "token", type: "address" },
  { name: "identifierOrCriteria", type: "uint256" },
  { name: "startAmount", type: "uint256" },
  { name: "endAmount", type: "uint256" },
];

/** EIP-712 types of a Seaport order (ConsiderationBase.sol derives the same type strings). */
export const ORDER_TYPES = {
  OrderComponents: [
    { name: "offerer", type: "address" },
    { name: "zone", type: "address" },
    { name: "offer", type: "OfferItem[]" },
    { name: "consideration", type: "ConsiderationItem[]" },
    { name: "orderType", type: "uint8" },
    { name: "startTime", type: "uint256" },
    { name: "endTime", type: "uint256" },
    { name: "zoneHash", type: "bytes32" },
    { name: "salt", type: "uint256" },
    { name: "conduitKey", type: "bytes32" },
    { name: "counter", type: "uint256" },
  ],
  OfferItem: ITEM_FIELDS,
  ConsiderationItem: [...ITEM_FIELDS, { name: "recipient", type: "address" }],
};

/** One ERC-1155 unit for sale at `price` (ETH when `currency` is the zero address), `feeBps` of it to `feeRecipient`. */
export type Listing = {
  seaport: string;
  chainId: bigint;
  offerer: string;
  item: { token: string; id: bigint; amount: bigint };
  currency: string;
  price: bigint;
  feeRecipient: string;
  feeBps: bigint;
  startTime: bigint;
  endTime: bigint;
  salt: bigint;
  /** The offerer's counter on Seaport (`getCounter`); 0 until the offerer cancels all its orders once. */
  counter: bigint;
};

export type OfferItem = {
  itemType: number;
  token: string;
  identifierOrCriteria: bigint;
  startAmount: bigint;
  endAmount: bigint;
};
export type ConsiderationItem = OfferItem & { recipient: string };
export type OrderComponents = {
  offerer: string;
  zone: string;
  offer: OfferItem[];
  consideration: ConsiderationItem[];
  orderType: number;
  startTime: bigint;
  endTime: bigint;
  zoneHash: string;
  salt: bigint;
  conduitKey: string;
  counter: bigint;
};
export type BasicOrderParameters = {
  considerationToken: string;
  considerationIdentifier: bigint;
  considerationAmount: bigint;
  offerer: string;
  zone: string;
  offerToken: string;
  offerIdentifier: bigint;
  offerAmount: bigint;
  basicOrderType: number;
  startTime: bigint;
  endTime: bigint;
  zoneHash: string;
  salt: bigint;
  offererConduitKey: string;
  fulfillerConduitKey: string;
  totalOriginalAdditionalRecipients: bigint;
  additionalRecipients: Array<{ amount: bigint; recipient: string }>;
  signature: string;
};

/** The fee (rounded down, as a marketplace computes it) and what the seller receives. */
export function split(listing: Listing): { fee: bigint; seller: bigint } {
  const fee = (listing.price * listing.feeBps) / 10_000n;
  return { fee, seller: listing.price - fee };
}

const isEth = (listing: Listing) => listing.currency === ZeroAddress;

/** The order as the seller signs it: offer = the item; consideration = the seller's share, then the fee. */
export function orderComponents(listing: Listing): OrderComponents {
  const { fee, seller } = split(listing);
  const payment = (amount: bigint, recipient: string): ConsiderationItem => ({
    itemType: isEth(listing) ? ITEM_TYPE.NATIVE : ITEM_TYPE.ERC20,
    token: listing.currency,
    identifierOrCriteria: 0n,
    startAmount: amount,
    endAmount: amount,
    recipient,
  });
  return {
    offerer: listing.offerer,
    zone: ZeroAddress,
    offer: [
      {
        itemType: ITEM_TYPE.ERC1155,
        token: listing.item.token,
        identifierOrCriteria: listing.item.id,
        startAmount: listing.item.amount,
        endAmount: listing.item.amount,
      },
    ],
    consideration: [payment(seller, listing.offerer), payment(fee, listing.feeRecipient)],
    orderType: ORDER_TYPE_FULL_OPEN,
    startTime: listing.startTime,
    endTime: listing.endTime,
    zoneHash: ZeroHash,
    salt: listing.salt,
    conduitKey: ZeroHash,
    counter: listing.counter,
  };
}

export function seaportDomain(listing: Pick<Listing, "seaport" | "chainId">) {
  return { ...SEAPORT_DOMAIN, chainId: listing.chainId, verifyingContract: listing.seaport };
}

/** The order hash Seaport's `getOrderHash` returns for this listing (EIP-712 struct hash, no domain). */
export function orderHash(listing: Listing): string {
  return TypedDataEncoder.hashStruct("OrderComponents", ORDER_TYPES, orderComponents(listing));
}

/** The seller's EIP-712 signature of the order: 65 bytes, as a wallet's eth_signTypedData_v4 returns it. */
export function signListing(seller: Signer, listing: Listing): Promise<string> {
  return seller.signTypedData(seaportDomain(listing), ORDER_TYPES, orderComponents(listing));
}

/** What the buyer passes to `fulfillBasicOrder_efficient_6GL6yc`; in ETH, `msg.value` is `listing.price`. */
export function basicOrderParameters(listing: Listing, signature: string): BasicOrderParameters {
  const { fee, seller } = split(listing);
  return {
    considerationToken: listing.currency,
    considerationIdentifier: 0n,
    considerationAmount: seller,
    offerer: listing.offerer,
    zone: ZeroAddress,
    offerToken: listing.item.token,
    offerIdentifier: listing.item.id,
    offerAmount: listing.item.amount,
    basicOrderType: isEth(listing)
      ? BASIC_ORDER_TYPE.ETH_TO_ERC1155_FULL_OPEN
      : BASIC_ORDER_TYPE.ERC20_TO_ERC1155_FULL_OPEN,
    startTime: listing.startTime,
    endTime: listing.endTime,
    zoneHash: ZeroHash,
    salt: listing.salt,
    offererConduitKey: ZeroHash,
    fulfillerConduitKey: ZeroHash,
    totalOriginalAdditionalRecipients: 1n,
    additionalRecipients: [{ amount: fee, recipient: listing.feeRecipient }],
    signature,
  };
}
