// The dapp's URLs (frontend/src/urls.ts, used by frontend/src/router.ts): every route the pages build parses back
// to the same page and params, and a malformed URL matches nothing (the router then shows the not-found page)
// instead of throwing URIError.
import { expect } from "chai";
import { SORT_KEYS } from "../../frontend/src/client/catalog.ts";
import { CATEGORIES } from "../../frontend/src/client/protocol.ts";
import { matchRoute, ROUTES } from "../../frontend/src/router.ts";
import { matchPath, parseHash, parseStoreFilters, routes, safeDecode } from "../../frontend/src/urls.ts";

/** Which route file a hash opens, and with which params; null for the not-found page. */
function resolve(hash: string): { path: string; params: Record<string, string> } | null {
  const { path, valid } = parseHash(hash);
  if (!valid) return null;
  const match = matchRoute(path);
  return match ? { path: match.route.path, params: match.params } : null;
}

describe("dapp URLs", () => {
  it("parses every route a page builds back to its route and params", () => {
    const cases: [string, string, Record<string, string>][] = [
      [routes.home(), "/", {}],
      [routes.store(7n), "/store/:storeId", { storeId: "7" }],
      [routes.product(7n, 12n), "/store/:storeId/product/:productId", { storeId: "7", productId: "12" }],
      [routes.cart(), "/cart", {}],
      [routes.checkout(), "/checkout", {}],
      [routes.orders(), "/orders", {}],
      [routes.order(3n), "/orders/:orderId", { orderId: "3" }],
      [routes.sell(), "/sell", {}],
      [routes.openStore(), "/sell/new", {}],
      [routes.sellerStore(2n), "/sell/store/:storeId", { storeId: "2" }],
      [routes.sellerProducts(2n), "/sell/store/:storeId/products", { storeId: "2" }],
      [routes.newProduct(2n), "/sell/store/:storeId/products/new", { storeId: "2" }],
      [routes.editProduct(2n, 5n), "/sell/store/:storeId/products/:productId", { storeId: "2", productId: "5" }],
      [routes.sellerOrders(2n), "/sell/store/:storeId/orders", { storeId: "2" }],
      [routes.managers(2n), "/sell/store/:storeId/managers", { storeId: "2" }],
      [routes.getVerified(2n), "/sell/store/:storeId/verify", { storeId: "2" }],
      [routes.sellerSales(2n), "/sell/store/:storeId/sales", { storeId: "2" }],
      [routes.importProducts(2n), "/sell/store/:storeId/products/import", { storeId: "2" }],
      [routes.shippingZones(2n), "/sell/store/:storeId/zones", { storeId: "2" }],
      [routes.storeCodes(2n), "/sell/store/:storeId/codes", { storeId: "2" }],
      [routes.sellerReviews(2n), "/sell/store/:storeId/reviews", { storeId: "2" }],
      [routes.arbiter(), "/arbiter", {}],
      [routes.verifier(), "/verify", {}],
      [routes.settings(), "/settings", {}],
      [routes.door(2n), "/door/:storeId", { storeId: "2" }],
    ];
    for (const [route, path, params] of cases) expect(resolve(`#${route}`), route).to.deep.equal({ path, params });
    // Every route of the table is built by `routes`.
    expect(new Set(cases.map(([, path]) => path))).to.deep.equal(new Set(ROUTES.map((r) => r.path)));
  });

  it("carries queries through URLSearchParams, so any search text round-trips", () => {
    for (const text of ["midnight owls", "a&b=c", "100% 東京 🤘", "#/?q="]) {
      const { path, query, valid } = parseHash(`#${routes.home(text)}`);
      expect([path, query.get("q"), valid]).to.deep.equal(["/", text, true]);
    }
    expect(routes.home("")).to.equal("/");
    const orders = parseHash(`#${routes.sellerOrders(4n, { filter: "disputed", order: 9n })}`);
    expect([orders.path, orders.query.get("filter"), orders.query.get("order")]).to.deep.equal([
      "/sell/store/4/orders",
      "disputed",
      "9",
    ]);
    expect(parseHash(`#${routes.editProduct(2n, 5n, { listed: true })}`).query.get("listed")).to.equal("1");
  });

  it("answers the not-found page for malformed percent-encoding instead of throwing URIError", () => {
    expect(() => decodeURIComponent("%E0")).to.throw(URIError);
    expect(safeDecode("%E0")).to.equal(null);
    for (const hash of ["#/store/%E0", "#/?q=%E0%A4", "#/store/1/product/%", "#/orders/%ZZ", "#/sell/%C0%AF"]) {
      expect(() => parseHash(hash), hash).to.not.throw();
      expect(resolve(hash), hash).to.equal(null);
    }
    expect(() => matchPath("/store/:storeId", "/store/%E0")).to.not.throw();
    expect(matchPath("/store/:storeId", "/store/%E0")).to.equal(null);
    // Well-formed escapes still decode: "%31" is "1".
    expect(resolve("#/store/%31")).to.deep.equal({ path: "/store/:storeId", params: { storeId: "1" } });
  });

  it("takes only decimal ids without leading zeros as ids", () => {
    for (const bad of ["0", "01", "abc", "1e3", "-1", "1.5", "123456789012345678901"]) {
      expect(resolve(`#/store/${bad}`), bad).to.equal(null);
    }
    expect(resolve("#/store/12345678901234567890")?.params.storeId).to.equal("12345678901234567890");
  });

  it("keeps a store page's filters and sort in its URL and reads them back", () => {
    const filters = { q: "owl tee", category: 0, sort: "price-desc" as const, inStock: true };
    const route = routes.store(7n, filters);
    expect(resolve(`#${route}`)).to.deep.equal({ path: "/store/:storeId", params: { storeId: "7" } });
    expect(
      parseStoreFilters(parseHash(`#${route}`).query, { categories: CATEGORIES.length, sorts: SORT_KEYS }),
    ).to.deep.equal(filters);
    // Defaults stay out of the URL, so the plain store link is unchanged.
    expect(routes.store(7n, { q: "", category: null, sort: "featured", inStock: false })).to.equal("/store/7");
    // Unknown or malformed values fall back to the defaults instead of breaking the page.
    expect(
      parseStoreFilters(new URLSearchParams("sort=cheapest&category=99&stock=yes&q="), {
        categories: CATEGORIES.length,
        sorts: SORT_KEYS,
      }),
    ).to.deep.equal({});
  });
});
