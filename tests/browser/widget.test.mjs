// The widget in headless Chromium: a host page on one origin embeds it, the API is on another.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, hostPage, root } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
let api, site, browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  // The host site listens first so that its origin can be allowed by the demo stores. The same
  // server is also reachable as http://localhost:PORT: an origin the stores do NOT allow.
  const pages = {};
  site = await startHostSite(pages);
  api = await startApi([site.origin]);
  pages["/"] = hostPage(api.url, 'store="demo" layout="grid" limit="24"');
  pages["/xof"] = hostPage(api.url, 'store="demo-b" layout="list" sort="-price"');
  pages["/missing-store"] = hostPage(api.url, 'store="no-such-store"');
  pages["/blank"] = "<!doctype html><title>blank</title>";
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

async function openPage(path, origin = site.origin) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(origin + path);
  return { page, errors };
}

test("the grid shows at least 20 product cards with names, images and formatted prices", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const apiCalls = [];
  const customHeaders = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(`${api.url}/api/`)) return;
    apiCalls.push(new URL(r.url()).pathname);
    customHeaders.push(...Object.keys(r.headers()).filter((name) => name.startsWith("x-")));
  });
  await page.goto(site.origin + "/");
  const cards = page.locator("colmena-products .card"); // Playwright pierces the open shadow root
  await cards.nth(19).waitFor({ timeout: 15_000 });
  const count = await cards.count();
  assert.ok(count >= 20, `expected at least 20 cards, saw ${count}`);

  const names = await page.locator("colmena-products .card .name").allTextContents();
  const prices = await page.locator("colmena-products .card .amount").allTextContents();
  assert.equal(names.length, count);
  assert.ok(names.every((n) => n.trim().length > 0));
  // Store demo is EUR with locale es-ES: "9,50 €", "189,00 €".
  for (const price of prices) assert.match(price, /^\d{1,3}(\.\d{3})*,\d{2}\u00a0€$/, price);

  const images = page.locator("colmena-products .card img");
  await page.waitForFunction(() => {
    const host = document.querySelector("colmena-products");
    return [...host.shadowRoot.querySelectorAll("img")].slice(0, 4).every((img) => img.complete && img.naturalWidth > 0);
  });
  assert.equal(await images.count(), count);

  // Nothing leaks into the host page: the cards live only in the shadow root.
  assert.equal(await page.evaluate(() => document.querySelectorAll(".card").length), 0);
  assert.deepEqual(errors, []);
  // One load of the page costs one store, one categories (for the filter), one products and one
  // theme request, however many elements and attributes it has.
  assert.deepEqual(apiCalls.sort(), [
    "/api/v1/stores/demo", "/api/v1/stores/demo/categories", "/api/v1/stores/demo/products", "/api/v1/stores/demo/storefront/theme.css",
  ]);
  // Simple cross-origin GETs: no custom header, so no CORS preflight before each.
  assert.deepEqual(customHeaders, []);
  // The loader's head start: the catalog reads went out with the wasm download (not after
  // its compile), and the client took their answers (the three calls above, not six).
  const started = await page.evaluate(() => {
    const entries = performance.getEntriesByType("resource");
    const at = (part) => entries.find((e) => e.name.includes(part)).startTime;
    return { products: at("/products?"), wasm: at("colmena_widget_bg.wasm"), left: globalThis.__colmenaPrefetched.size };
  });
  assert.ok(started.products <= started.wasm, JSON.stringify(started));
  assert.equal(started.left, 0);
  await page.screenshot({ path: join(artifacts, "widget-grid.png"), fullPage: true });
  await page.close();
});

test("another store renders in its own currency and layout", async () => {
  const { page } = await openPage("/xof");
  const amounts = page.locator("colmena-products .card .amount");
  await amounts.first().waitFor({ timeout: 15_000 });
  const prices = await amounts.allTextContents();
  assert.ok(prices.length >= 20);
  // XOF has no minor unit; fr-SN groups with a narrow no-break space.
  for (const price of prices) assert.match(price, /^\d{1,3}(\u202f\d{3})*\u00a0F\u00a0CFA$/, price);
  const values = prices.map((p) => Number(p.replace(/\D/g, "")));
  assert.deepEqual(values, [...values].sort((a, b) => b - a), "sort=-price");
  assert.equal(await page.locator("colmena-products .products.list").count(), 1);
  await page.close();
});

test("an origin the store does not allow is refused by the browser", async () => {
  // Same page, served as http://localhost:PORT: a different origin, not in the store's list.
  const { page } = await openPage("/", `http://localhost:${site.port}`);
  const failed = page.waitForEvent("console", (m) => m.text().includes("CORS") || m.type() === "error");
  const error = page.locator("colmena-products .error");
  await error.waitFor({ timeout: 15_000 });
  assert.match(await error.textContent(), /cannot be reached/);
  assert.equal(await page.locator("colmena-products .card").count(), 0);
  await failed;
  await page.close();
});

test("an unknown store shows a clear message and dispatches colmena:error", async () => {
  const { page } = await openPage("/blank");
  const code = await page.evaluate(async ({ api }) => {
    const seen = new Promise((ok) => document.addEventListener("colmena:error", (e) => ok(e.detail.code)));
    await import(`${api}/widget/colmena.js`);
    document.body.innerHTML = `<colmena-products store="no-such-store" api="${api}"></colmena-products>`;
    return seen;
  }, { api: api.url });
  assert.equal(code, "STORE_NOT_FOUND");
  const error = page.locator("colmena-products .error");
  assert.match(await error.textContent(), /does not exist/);
  assert.equal(await error.getAttribute("role"), "alert");
  await page.close();
});

test("a mistake in the markup shows the exact message, without a retry that cannot help", async () => {
  const { page } = await openPage("/blank");
  const code = await page.evaluate(async ({ api }) => {
    const seen = new Promise((ok) => document.addEventListener("colmena:error", (e) => ok(e.detail.code)));
    await import(`${api}/widget/colmena.js`);
    document.body.innerHTML = `<colmena-products store="demo" layout="masonry" api="${api}"></colmena-products>`;
    return seen;
  }, { api: api.url });
  assert.equal(code, "INVALID_REQUEST");
  const error = page.locator("colmena-products .error");
  assert.equal(await error.textContent(), "Colmena widget: layout \u201cmasonry\u201d is not grid, list or carousel");
  assert.equal(await page.locator("colmena-products button").count(), 0);
  await page.close();
});
