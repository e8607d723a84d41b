// The widget's search and filters in headless Chromium: a shopper searches the demo store with a
// typo, opens the filters, ticks an attribute value and sets a price range (the counts change,
// the results narrow), and clears them; the search bundle is fetched on first use only; the
// filters speak the element's language; axe-core finds no serious violation. The demo honeys get
// a product type with two attributes first, through the admin API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, hostPage, root } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let api, site, browser;

// The honeys' attributes: flower and organic.
const HONEYS = {
  "wildflower-honey-500-g": ["Wildflower", true],
  "orange-blossom-honey-500-g": ["Orange blossom", true],
  "rosemary-honey-250-g": ["Rosemary", false],
  "chestnut-honey-500-g": ["Chestnut", true],
  "heather-honey-250-g": ["Heather", false],
  "raw-comb-honey-400-g": ["Wildflower", true],
  "lavender-honey-500-g": ["Lavender", true],
  "eucalyptus-honey-1-kg": ["Eucalyptus", false],
};

async function apiJson(path, init = {}) {
  const response = await fetch(api.url + path, init);
  return { status: response.status, body: await response.json() };
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  const pages = {};
  site = await startHostSite(pages);
  api = await startApi([site.origin], ["--rate-limit-public", "0"]);
  pages["/"] = hostPage(api.url, 'store="demo" limit="24" locale="en"', { cart: "" });
  pages["/fr"] = hostPage(api.url, 'store="demo" limit="24" locale="fr" search="miel"', { cart: "" });

  const { body: login } = await apiJson("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  const admin = (method, path, body) => apiJson(`/api/v1/admin/stores/demo${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${login.data.accessToken}` },
    body: JSON.stringify(body),
  });
  const schema = { type: "object", properties: { flower: { type: "string" }, organic: { type: "boolean" } } };
  const type = await admin("POST", "/product-types", { name: "Honey jar", schema });
  assert.equal(type.status, 201, JSON.stringify(type.body));
  for (const [slug, [flower, organic]] of Object.entries(HONEYS)) {
    const { body: product } = await apiJson(`/api/v1/stores/demo/products/${slug}`);
    const patched = await admin("PATCH", `/products/${product.data.id}`, {
      productTypeId: type.body.data.id, attributes: { flower, organic },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

async function open(path, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(site.origin + path);
  return { page, context, errors, requests };
}

const shown = (page) => page.locator("colmena-products .card .name").allTextContents();
/** The facet of `legend` as {value: count}, from the filters' form. */
const facet = (page, legend) => page.evaluate((legend) => {
  const root = document.querySelector("colmena-products").shadowRoot;
  const group = [...root.querySelectorAll("#colmena-filters fieldset")].find((f) => f.querySelector("legend").textContent === legend);
  if (!group) return null;
  return Object.fromEntries([...group.querySelectorAll("label.option")].map((o) => [o.querySelector("span").textContent, Number(o.querySelector(".count").textContent.replace(/\D/g, ""))]));
}, legend);
/** The data-key of the focused element in the shadow root. */
const focused = (page) => page.evaluate(() => document.querySelector("colmena-products").shadowRoot.activeElement?.getAttribute("data-key"));
/** Waits until the results line says `count`. */
const results = (page, count) => page.locator("colmena-products .results", { hasText: `Results: ${count}` }).waitFor();

test("a shopper searches with a typo, filters by an attribute and a price range, and clears the filters", async () => {
  const { page, context, errors, requests } = await open("/");
  const products = page.locator("colmena-products");
  await products.locator(".card").nth(19).waitFor({ timeout: 15_000 });
  // The first load lists products and has none of the search bundle.
  assert.ok(!requests.some((url) => url.includes("colmena_search")), requests.join("\n"));
  assert.ok(!requests.some((url) => url.includes("/search?")), requests.join("\n"));

  // "hony": a typo for honey. The search bundle is fetched now, and asked for relevance.
  const search = products.locator("input.search");
  await search.fill("hony");
  await search.press("Enter");
  const all = (await apiJson("/api/v1/stores/demo/search?q=hony&limit=24")).body;
  await results(page, all.pagination.total);
  assert.ok(requests.some((url) => url.endsWith("/colmena_search_bg.wasm")), "the search bundle is fetched on first use");
  assert.ok(requests.some((url) => url.includes("/api/v1/stores/demo/search?limit=24&q=hony")), requests.join("\n"));
  const found = await shown(page);
  assert.deepEqual(found, all.data.products.map((p) => p.name));
  assert.ok(found[0].includes("Honey"), found[0]);
  // With search text the sort menu offers (and shows) relevance.
  assert.equal(await products.locator("select.sort").inputValue(), "");
  assert.equal(await products.locator("select.sort option:checked").textContent(), "Best match");

  // The filters: a disclosure button, then a form of fieldsets from the facets.
  const toggle = products.getByRole("button", { name: /^Filters/ });
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  const filters = products.getByRole("form", { name: "Filters" });
  await filters.waitFor();
  assert.equal(await toggle.getAttribute("aria-controls"), await filters.getAttribute("id"));
  const price = filters.getByRole("group", { name: "Price" });
  assert.equal(await price.locator(".hint").textContent(), "From €4.50 to €189.00");
  const min = price.getByRole("spinbutton", { name: "Minimum" });
  const max = price.getByRole("spinbutton", { name: "Maximum" });
  assert.equal(await min.getAttribute("placeholder"), "4.50");
  assert.equal(await min.getAttribute("step"), "0.01");
  assert.deepEqual(await facet(page, "Organic"), { Yes: 5, No: 3 });
  const flowers = { Wildflower: 2, "Orange blossom": 1, Rosemary: 1, Chestnut: 1, Heather: 1, Lavender: 1, Eucalyptus: 1 };
  assert.deepEqual(await facet(page, "Flower"), flowers);
  await page.screenshot({ path: join(artifacts, "widget-search-filters-open.png") });

  // Organic: Yes, from the keyboard. The results narrow to the five organic honeys; the
  // flower counts follow; the organic facet (not counted with its own filter) keeps its No.
  const organic = filters.getByRole("group", { name: "Organic" }).getByRole("checkbox", { name: /Yes/ });
  await organic.focus();
  await page.keyboard.press("Space");
  await results(page, 5);
  assert.deepEqual((await shown(page)).sort(), ["Chestnut Honey 500 g", "Lavender Honey 500 g", "Orange Blossom Honey 500 g", "Raw Comb Honey 400 g", "Wildflower Honey 500 g"]);
  assert.deepEqual(await facet(page, "Flower"), { Wildflower: 2, "Orange blossom": 1, Chestnut: 1, Lavender: 1 });
  assert.deepEqual(await facet(page, "Organic"), { Yes: 5, No: 3 });
  assert.ok(await organic.isChecked());
  assert.equal(await focused(page), "attribute-organic:true", "focus stays on the checkbox");
  assert.equal(await toggle.textContent(), "Filters1");
  assert.ok(requests.some((url) => url.includes("&attribute=organic%3Atrue")), requests.join("\n"));

  // A price range in euros (sent in cents): 10 to 15 €, applied with Enter.
  await min.fill("10");
  await max.fill("15");
  await max.press("Enter");
  await results(page, 3);
  assert.deepEqual((await shown(page)).sort(), ["Chestnut Honey 500 g", "Lavender Honey 500 g", "Orange Blossom Honey 500 g"]);
  assert.ok(requests.some((url) => url.includes("minPrice=1000&maxPrice=1500&attribute=organic%3Atrue")), requests.join("\n"));
  // The price facet counts the organic honeys at any price; the flowers, those in the range.
  assert.equal(await price.locator(".hint").textContent(), "From €9.50 to €18.90");
  assert.deepEqual(await facet(page, "Flower"), { "Orange blossom": 1, Chestnut: 1, Lavender: 1 });
  assert.equal(await min.inputValue(), "10.00");
  assert.equal(await max.inputValue(), "15.00");
  assert.equal(await toggle.textContent(), "Filters2");
  await page.screenshot({ path: join(artifacts, "widget-search-filtered.png") });

  // The filters survive re-rendering: closing and reopening the panel, and a page of the cart.
  await toggle.click();
  assert.equal(await filters.count(), 0);
  await toggle.click();
  assert.ok(await organic.isChecked());
  assert.equal(await min.inputValue(), "10.00");

  // Clear filters: every match of the search again, the form empty.
  await filters.getByRole("button", { name: "Clear filters" }).click();
  await results(page, all.pagination.total);
  assert.ok(!(await organic.isChecked()));
  assert.equal(await min.inputValue(), "");
  assert.equal(await toggle.textContent(), "Filters");
  assert.deepEqual(await facet(page, "Flower"), flowers);

  // Nothing in range: a clear message, and a way out.
  await min.fill("500");
  await min.press("Enter");
  const empty = products.getByRole("status").filter({ hasText: "No products match your search." });
  await empty.waitFor();
  assert.equal(await products.locator(".card").count(), 0);
  await products.locator(".catalog > button", { hasText: "Clear filters" }).click();
  await results(page, all.pagination.total);
  assert.equal(await focused(page), "filters", "focus goes to the filters' toggle");

  // An empty search box shows the whole catalog again, newest first (the filters stay open, on
  // the whole catalog's facets).
  await search.fill("");
  await search.press("Enter");
  await page.waitForFunction(() => document.querySelector("colmena-products").shadowRoot.querySelector("select.sort").value === "newest");
  const newest = (await apiJson("/api/v1/stores/demo/search?limit=24")).body.data.products.map((p) => p.name);
  await page.waitForFunction((want) => {
    const names = [...document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card .name")].map((n) => n.textContent);
    return JSON.stringify(names) === JSON.stringify(want);
  }, newest);
  assert.equal(await products.locator(".results").count(), 0);
  assert.deepEqual(await facet(page, "Organic"), { Yes: 5, No: 3 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the filters at 390 px, in French, and with no serious axe-core violation", async () => {
  const { page, context, errors, requests } = await open("/fr", { width: 390, height: 844 });
  const products = page.locator("colmena-products");
  // Search text in the markup is searched: "miel" is French for honey (translated names). The
  // loader asked for it while the wasm downloaded, and the search bundle took that answer.
  await products.locator(".results", { hasText: "Résultats : " }).waitFor({ timeout: 15_000 });
  assert.deepEqual(requests.filter((url) => url.includes("/search?")), [`${api.url}/api/v1/stores/demo/search?limit=24&q=miel`]);
  assert.equal(await page.evaluate(() => globalThis.__colmenaPrefetched.size), 0);
  await products.getByRole("button", { name: /^Filtres/ }).click();
  const filters = products.getByRole("form", { name: "Filtres" });
  await filters.waitFor();
  const price = filters.getByRole("group", { name: "Prix" });
  assert.match(await price.locator(".hint").textContent(), /^De \d+,\d{2}\u00a0€ à \d+,\d{2}\u00a0€$/);
  assert.ok(await price.getByRole("spinbutton", { name: "Minimum" }).isVisible());
  await filters.getByRole("group", { name: "Organic" }).getByRole("checkbox", { name: /Oui/ }).check();
  await products.locator(".results", { hasText: "Résultats : 5" }).waitFor();
  assert.ok(await filters.getByRole("button", { name: "Effacer les filtres" }).isVisible());
  assert.equal(await products.getByRole("button", { name: /^Filtres/ }).textContent(), "Filtres1");
  // No horizontal scrolling at 390 px.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px of horizontal overflow`);
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
  await page.screenshot({ path: join(artifacts, "widget-search-filters-390-fr.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
