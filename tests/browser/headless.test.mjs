// The headless JS client (@colmena/sdk, sdk-wasm/pkg) in headless Chromium: a page on one
// origin loads the package from that origin and calls the API on another. The cart persists in
// localStorage across reloads, offline changes included; browsing and the error classes work
// as in Node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startApi, startFileSite, launchChromium, root } from "./harness.mjs";

const pkg = join(root, "sdk-wasm/pkg");
let api, site, browser;

/** A page that loads the package and keeps it as window.sdk (and the API's URL as window.api). */
const page = (apiUrl) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A headless shop</title>
<script type="module">
  import init, * as sdk from "/files/colmena.js";
  await init();
  window.api = ${JSON.stringify(apiUrl)};
  window.sdk = sdk;
</script></head><body><h1>Headless shop</h1></body></html>`;

before(async () => {
  if (!existsSync(join(pkg, "colmena.js"))) throw new Error("sdk-wasm/pkg not built: run scripts/build-wasm.sh headless");
  const pages = {};
  site = await startFileSite(pkg, pages);
  api = await startApi([site.origin]);
  pages["/"] = page(api.url);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

async function openShop(context) {
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e.message));
  await tab.goto(`${site.origin}/`);
  await tab.waitForFunction(() => window.sdk !== undefined, null, { timeout: 15_000 });
  return { tab, errors };
}

test("browsing across origins, and the error classes, in the browser", async () => {
  const context = await browser.newContext();
  const { tab, errors } = await openShop(context);
  const result = await tab.evaluate(async () => {
    const { Colmena, ColmenaError, NotFoundError, InvalidRequestError } = window.sdk;
    const colmena = new Colmena(window.api, "demo");
    const page = await colmena.listProducts({ limit: 5, sort: "price" });
    let iterated = 0;
    for await (const _ of colmena.products({ limit: 10 })) iterated += 1;
    const missing = await colmena.product("no-such-product").catch((e) => e);
    const invalid = await colmena.cart("not-a-uuid").catch((e) => e);
    return {
      prices: page.items.map((p) => p.price.amount),
      total: page.pagination.total,
      iterated,
      missing: [missing instanceof NotFoundError, missing instanceof ColmenaError, missing.code, missing.status],
      requestId: missing.requestId,
      invalid: [invalid instanceof InvalidRequestError, invalid.code],
    };
  });
  assert.equal(result.prices.length, 5);
  assert.deepEqual([...result.prices].sort((a, b) => a - b), result.prices);
  assert.equal(result.iterated, result.total);
  assert.deepEqual(result.missing, [true, true, "NOT_FOUND", 404]);
  // The request id crosses origins: the API exposes X-Request-Id.
  assert.match(result.requestId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(result.invalid, [true, "INVALID_REQUEST"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the cart persists in localStorage across reloads, changes made offline included", async () => {
  const context = await browser.newContext();
  const { tab, errors } = await openShop(context);
  const state = () =>
    tab.evaluate(async () => {
      const { Colmena, ColmenaCart } = window.sdk;
      const cart = ColmenaCart.open(new Colmena(window.api, "demo"));
      const lines = cart.lines().map((l) => [l.productName, l.quantity]);
      return { lines, itemCount: cart.itemCount(), cartId: cart.cartId(), pending: cart.pending(), subtotal: cart.subtotal() };
    });

  const added = await tab.evaluate(async () => {
    const { Colmena, ColmenaCart } = window.sdk;
    const colmena = new Colmena(window.api, "demo");
    const cart = ColmenaCart.open(colmena);
    await cart.add(await colmena.product("wildflower-honey-500-g"), null, 2);
    const report = await cart.add(await colmena.product("beekeeping-field-guide-pdf"));
    return { report, keys: Object.keys(localStorage) };
  });
  assert.deepEqual(added.report, { changes: [], rejected: [], pending: 0, offline: null });
  assert.deepEqual(added.keys, [`colmena:cart:${api.url}:demo`]);
  const before = await state();
  assert.equal(before.itemCount, 3);
  assert.match(before.cartId, /^[0-9a-f-]{36}$/);

  await tab.reload();
  await tab.waitForFunction(() => window.sdk !== undefined);
  assert.deepEqual(await state(), before);

  // Offline: the change is kept on the device, with the error that kept it from the server.
  await tab.route(`${api.url}/**`, (route) => route.abort("internetdisconnected"));
  const offline = await tab.evaluate(async () => {
    const { Colmena, ColmenaCart, NetworkError } = window.sdk;
    const cart = ColmenaCart.open(new Colmena(window.api, "demo"));
    const report = await cart.setQuantity(cart.lines()[0].variantId, 5);
    return [report.offline instanceof NetworkError, report.pending, cart.itemCount()];
  });
  assert.deepEqual(offline, [true, 1, 6]);
  await tab.reload();
  await tab.waitForFunction(() => window.sdk !== undefined);
  const saved = await state();
  assert.deepEqual([saved.itemCount, saved.pending, saved.cartId], [6, 1, before.cartId]);

  // Back online, the next sync sends it; the server's cart agrees.
  await tab.unroute(`${api.url}/**`);
  const synced = await tab.evaluate(async () => {
    const { Colmena, ColmenaCart } = window.sdk;
    const colmena = new Colmena(window.api, "demo");
    const cart = ColmenaCart.open(colmena);
    const report = await cart.sync();
    const server = await colmena.cart(cart.cartId());
    return [report.pending, report.offline, server.itemCount, server.subtotal.amount, cart.subtotal().amount];
  });
  assert.equal(synced[0], 0);
  assert.equal(synced[1], null);
  assert.equal(synced[2], 6);
  assert.equal(synced[3], synced[4]);

  // Another key keeps another cart; clear() empties the saved one.
  const cleared = await tab.evaluate(() => {
    const { Colmena, ColmenaCart } = window.sdk;
    const colmena = new Colmena(window.api, "demo");
    const other = ColmenaCart.open(colmena, { key: "my-other-cart" });
    ColmenaCart.open(colmena).clear();
    return [other.itemCount(), ColmenaCart.open(colmena).itemCount(), ColmenaCart.open(colmena).cartId()];
  });
  assert.deepEqual(cleared, [0, 0, null]);
  // Route aborts log failed fetches to the console, never page errors.
  assert.deepEqual(errors, []);
  await context.close();
});
