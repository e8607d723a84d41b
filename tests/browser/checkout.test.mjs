// The widget's checkout (its own bundle, loaded when a shopper starts one) in headless Chromium,
// against a store the test sets up through the admin API: tax added to prices in France, a
// flat rate to France and pickup everywhere else, and discount codes. A shopper buys a jar of
// honey shipped to Paris (the country's address format, a refused postal code, a rate, a
// refused and an accepted discount code, tax in the breakdown, the test provider), then a PDF
// with no address at all. The first load never fetches the checkout bundle.
//
// The shop's pages are served by colmena-server itself, from a widget directory that holds the
// built widget and these pages: the address formats (`/api/v1/address-formats/{country}`) have
// no store in their path, and a server older than the CORS rule that opens them to every
// origin (server-ref/src/http/cors.rs) lets only its own origin read them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApi, launchChromium, root } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let api, browser, owner, widgetDir;

async function apiJson(path, init = {}) {
  const response = await fetch(api.url + path, init);
  return { status: response.status, body: await response.json() };
}

async function admin(method, path, body, { store = "demo", token = owner } = {}) {
  const answer = await apiJson(`/api/v1/admin/stores/${store}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(answer.status < 300, `${method} ${path}: ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

/** A page with the cart and one product's detail, in English. */
const productPage = (product, store = "demo") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A shop site</title>
<script type="module" src="${api.url}/widget/colmena.js"></script></head>
<body><header><h1>Our shop</h1><colmena-cart store="${store}" api="${api.url}" locale="en"></colmena-cart></header>
<main><colmena-product store="${store}" product="${product}" api="${api.url}" locale="en"></colmena-product></main>
</body></html>`;

before(async () => {
  widgetDir = mkdtempSync(join(tmpdir(), "colmena-checkout-site-"));
  const dist = join(root, "widget/dist");
  for (const entry of readdirSync(dist)) symlinkSync(join(dist, entry), join(widgetDir, entry));
  api = await startApi([], ["--rate-limit-public", "0"], { widgetDir });
  const login = await apiJson("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  owner = login.body.data.accessToken;
  await admin("PUT", "/tax", {
    pricesIncludeTax: false, rounding: "per_line", shippingTaxable: true,
    rates: [{ country: "FR", rate: 2000, name: "TVA" }],
  });
  await admin("POST", "/shipping-zones", {
    name: "France", regions: ["FR"],
    rates: [{ name: "Colissimo", kind: "flat", price: { amount: 490, currency: "EUR" } }],
  });
  await admin("POST", "/shipping-zones", {
    name: "Everywhere else",
    rates: [{ name: "Pick up at the apiary", kind: "pickup", price: { amount: 0, currency: "EUR" } }],
  });
  await admin("POST", "/discounts", { name: "Ten percent", code: "TEN", kind: "percentage", value: 1000 });
  await admin("POST", "/discounts", {
    name: "Summer", code: "SUMMER", kind: "percentage", value: 1500,
    startsAt: "2020-06-01T00:00:00Z", endsAt: "2020-09-01T00:00:00Z",
  });
  writeFileSync(join(widgetDir, "honey.html"), productPage("wildflower-honey-500-g"));
  writeFileSync(join(widgetDir, "guide.html"), productPage("beekeeping-field-guide-pdf"));
  // demo-b ships to three West African countries only.
  const ownerB = (await apiJson("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo-b", email: "owner@demo-b.test", password: "demo-password" }),
  })).body.data.accessToken;
  await admin("POST", "/shipping-zones", {
    name: "Afrique de l'Ouest", regions: ["SN", "CI", "ML"],
    rates: [{ name: "Coursier", kind: "flat", price: { amount: 2000, currency: "XOF" } }],
  }, { store: "demo-b", token: ownerB });
  writeFileSync(join(widgetDir, "wax.html"), productPage("wax-imprime-6-yards", "demo-b"));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  if (widgetDir) rmSync(widgetDir, { recursive: true, force: true });
});

/** Opens `path`, adds its product to the cart, opens the drawer and starts the checkout. */
async function startCheckout(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const requested = [];
  page.on("request", (request) => requested.push(new URL(request.url()).pathname));
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(() => {
    window.__checkouts = [];
    document.addEventListener("colmena:checkout", (e) => window.__checkouts.push(e.detail));
  });
  await page.goto(`${api.url}/widget${path}`);
  const detail = page.locator("colmena-product");
  await detail.getByRole("button", { name: "Add to cart" }).click({ timeout: 15_000 });
  await detail.getByText("Added to your cart.").waitFor();
  // Nothing of the checkout is fetched until the shopper starts one.
  assert.ok(!requested.some((p) => p.includes("colmena_checkout")), requested.join(" "));
  await page.locator("colmena-cart button.toggle").click();
  const drawer = page.locator("colmena-cart [role=dialog]");
  await drawer.getByRole("button", { name: /^Checkout/ }).click();
  await drawer.getByLabel("Email for the receipt").waitFor();
  assert.ok(requested.some((p) => p.endsWith("/colmena_checkout_bg.wasm")), "the checkout bundle is fetched on first use");
  return { page, context, drawer, errors };
}

/** axe-core's violations inside the drawer (serious and critical). */
async function audit(page) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector("colmena-cart"), { resultTypes: ["violations"] });
    return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
}

const digits = (text) => Number(text.replace(/\D/g, ""));

test("a shipped order: the country's address form, a refused postal code, a rate, discount codes refused and applied, tax added, paid, numbered", async () => {
  const { page, context, drawer, errors } = await startCheckout("/honey.html");
  // Before an address, the pickup rate is offered.
  await drawer.getByRole("radio", { name: /Pick up at the apiary/ }).waitFor();
  // The contact and the shipping address, required fields marked.
  assert.equal(await drawer.getByRole("textbox", { name: "Full name" }).getAttribute("required"), "");
  await drawer.getByLabel("Email for the receipt").fill("ana@example.com");
  await drawer.getByLabel("Full name").fill("Ana Silva");
  const shipping = drawer.locator("fieldset", { has: page.getByText("Shipping address", { exact: true }) });
  const country = shipping.getByLabel("Country");
  // A country with regions: its form asks for one, from a select of its subdivisions.
  await country.selectOption("US");
  const state = shipping.getByRole("combobox", { name: "State / province" });
  await state.waitFor();
  assert.ok((await state.locator("option").allTextContents()).includes("California"));
  assert.equal(await state.getAttribute("required"), "");
  // France: no region; the postal code before the city, as the French write it.
  await country.selectOption("FR");
  await shipping.getByLabel("Postal code").waitFor();
  assert.equal(await shipping.getByRole("combobox", { name: "State / province" }).count(), 0);
  const order = await shipping.locator("input[data-field]").evaluateAll((inputs) => inputs.map((i) => i.dataset.field));
  assert.ok(order.indexOf("shippingAddress.postalCode") < order.indexOf("shippingAddress.city"), order.join());
  assert.equal(await shipping.getByLabel("Postal code").getAttribute("required"), "");
  await shipping.getByLabel("Full name").fill("Ana Silva");
  await shipping.getByRole("textbox", { name: "Address", exact: true }).fill("12 rue Oberkampf");
  await shipping.getByLabel("City").fill("Paris");
  // A postal code that is not French: the server's refusal, beside the field.
  await shipping.getByLabel("Postal code").fill("ABC");
  await shipping.getByLabel("Postal code").press("Tab");
  const postalError = shipping.locator("#colmena-error-shippingAddress\\.postalCode");
  await postalError.waitFor();
  assert.equal(await postalError.textContent(), "Please check this entry.");
  assert.equal(await shipping.getByLabel("Postal code").getAttribute("aria-invalid"), "true");
  await shipping.getByLabel("Postal code").fill("75011");
  await shipping.getByLabel("Postal code").press("Tab");
  await postalError.waitFor({ state: "detached" });

  // The rates for Paris, with their prices.
  const colissimo = drawer.getByRole("radio", { name: /Colissimo/ });
  await colissimo.waitFor();
  assert.match(await drawer.locator("label.rate", { hasText: "Colissimo" }).textContent(), /4[.,]90/);
  await colissimo.check();
  const breakdown = drawer.locator("dl.breakdown");
  await breakdown.locator(".row", { hasText: "Shipping" }).filter({ hasText: /4[.,]90/ }).waitFor();
  await audit(page);

  // Discount codes: the refusals' messages beside the field, then one that applies.
  const code = drawer.getByLabel("Discount code");
  const codeError = drawer.locator("#colmena-error-discountCode");
  await code.fill("nope");
  await drawer.getByRole("button", { name: "Apply" }).click();
  await codeError.filter({ hasText: "This code does not exist." }).waitFor();
  await code.fill("summer");
  await drawer.getByRole("button", { name: "Apply" }).click();
  await codeError.filter({ hasText: "This code has expired." }).waitFor();
  await code.fill("ten");
  await drawer.getByRole("button", { name: "Apply" }).click();
  await drawer.getByRole("button", { name: "Remove code TEN" }).waitFor();
  assert.equal(await codeError.count(), 0);
  const discountRow = breakdown.locator(".row.discount");
  assert.match(await discountRow.textContent(), /^Ten percent \(TEN\)−/);

  // Tax added to the prices (France, 20 %), and the total the server computes.
  const cartId = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith("colmena:cart:"))[1]).cartId);
  const cart = (await apiJson(`/api/v1/stores/demo/carts/${cartId}`)).body.data;
  assert.ok(cart.totals.tax.amount > 0 && !cart.totals.taxIncluded, JSON.stringify(cart.totals));
  assert.equal(digits(await breakdown.locator(".row.tax").textContent()), cart.totals.tax.amount);
  assert.match(await breakdown.locator(".row.tax dt").textContent(), /^Tax$/);
  const total = await breakdown.locator(".row.total dd").textContent();
  assert.equal(digits(total), cart.totals.total.amount);
  assert.equal(cart.totals.total.amount, cart.totals.subtotal.amount - cart.totals.discountTotal.amount + 490 + cart.totals.tax.amount);

  // Pay with the test provider; the confirmation names the order by its number.
  await drawer.getByRole("button", { name: `Place order · ${total}` }).click();
  await drawer.getByText("Test mode: no money moves.").waitFor();
  await drawer.getByRole("button", { name: `Pay ${total}` }).click();
  await drawer.getByText("Thank you! Your order is confirmed.").waitFor();
  const orderId = await drawer.locator("[data-order-id]").getAttribute("data-order-id");
  const placed = (await apiJson(`/api/v1/admin/stores/demo/orders/${orderId}`, { headers: { authorization: `Bearer ${owner}` } })).body.data;
  assert.equal(await drawer.locator(".order-id").textContent(), `Order #${placed.number}`);
  assert.equal(placed.status, "paid");
  assert.equal(placed.customerName, "Ana Silva");
  assert.equal(placed.shippingMethod, "Colissimo");
  assert.deepEqual([placed.shippingAddress.postalCode, placed.shippingAddress.city, placed.shippingAddress.country], ["75011", "Paris", "FR"]);
  assert.equal(placed.totals.discounts[0].code, "TEN");
  assert.equal(placed.totals.total.amount, cart.totals.total.amount);
  assert.equal(digits(await drawer.locator(".confirmation .row.total dd").textContent()), placed.totals.total.amount);
  // The confirmation email (an .eml file without a mail server; the harness reads it into the
  // log) names the order by the same number.
  assert.match(await api.logLine(new RegExp(`#${placed.number}\\b`), 10_000), new RegExp(`#${placed.number}`));
  const announced = await page.evaluate(() => window.__checkouts.at(-1));
  assert.deepEqual([announced.orderId, announced.number, announced.status], [orderId, placed.number, "paid"]);
  await drawer.getByRole("button", { name: "Continue shopping" }).click();
  assert.equal(await page.locator("colmena-cart button.toggle").getAttribute("aria-label"), "Cart 0");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a digital-only order needs no address: email, pay, download", async () => {
  const { page, context, drawer, errors } = await startCheckout("/guide.html");
  assert.equal(await drawer.getByText("Shipping address", { exact: true }).count(), 0);
  assert.equal(await drawer.locator("fieldset.rates").count(), 0);
  // The billing address is optional: a country alone asks for nothing more until one is chosen.
  await drawer.getByText("Billing address (optional)").waitFor();
  await audit(page);
  await drawer.getByLabel("Email for the receipt").fill("reader@example.com");
  const total = await drawer.locator("dl.breakdown .row.total dd").textContent();
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  await drawer.getByRole("button", { name: `Pay ${total}` }).click();
  await drawer.getByText("Thank you! Your order is confirmed.").waitFor();
  assert.match(await drawer.locator(".order-id").textContent(), /^Order #\d+$/);
  assert.equal(await drawer.locator("a.download").textContent(), "beekeeping-field-guide.pdf");
  const orderId = await drawer.locator("[data-order-id]").getAttribute("data-order-id");
  const placed = (await apiJson(`/api/v1/admin/stores/demo/orders/${orderId}`, { headers: { authorization: `Bearer ${owner}` } })).body.data;
  assert.equal(placed.shippingAddress ?? null, null);
  assert.equal(placed.email, "reader@example.com");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an order's refusal shows beside the field it names; back to the cart keeps the lines", async () => {
  const { context, drawer } = await startCheckout("/guide.html");
  await drawer.getByLabel("Email for the receipt").fill("not an email");
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  const error = drawer.locator("#colmena-error-email");
  await error.filter({ hasText: "Please check this entry." }).waitFor();
  assert.equal(await drawer.getByLabel("Email for the receipt").getAttribute("aria-describedby"), "colmena-error-email");
  // Back to the cart: the lines are still there.
  await drawer.getByRole("button", { name: "Back to cart" }).click();
  await drawer.locator(".line", { hasText: "Field Guide" }).waitFor();
  await context.close();
});

test("the shipping address offers only the countries the store ships to", async () => {
  const { context, drawer, errors } = await startCheckout("/wax.html");
  const shipping = drawer.locator("fieldset", { hasText: "Shipping address" }).first();
  const options = shipping.getByLabel("Country").locator("option");
  await options.nth(1).waitFor({ state: "attached" });
  const values = await options.evaluateAll((all) => all.map((option) => option.value));
  // The placeholder, then the three countries, sorted by their English names.
  assert.deepEqual(values, ["", "CI", "ML", "SN"]);
  assert.deepEqual((await options.allTextContents()).slice(1), ["Côte d’Ivoire", "Mali", "Senegal"]);
  assert.deepEqual(errors, []);
  await context.close();
});
