// The whole storefront in headless Chromium, on a host page served from another origin than
// the API: the shopper's journey to a paid order, the cart through reloads and an API outage,
// a strict Content-Security-Policy, keyboard use, languages, the ColmenaWidget class, and an
// axe-core accessibility audit. Screenshots land in tests/browser/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, hostPage, root } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let api, site, browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  const pages = {};
  site = await startHostSite(pages);
  api = await startApi([site.origin], ["--rate-limit-public", "0"]);
  // The demo store speaks Spanish (es-ES); these pages ask for English with the locale attribute.
  const en = { cart: 'store="demo" locale="en"' };
  pages["/"] = hostPage(api.url, 'store="demo" limit="8" locale="en"', en);
  pages["/infinite"] = hostPage(api.url, 'store="demo" limit="6" pagination="infinite" layout="list" locale="en"', en);
  pages["/product"] = hostPage(api.url, 'store="demo" limit="4" controls="false" locale="en"', { cart: "" })
    .replace("</main>", `<colmena-product store="demo" product="ventilated-jacket" api="${api.url}" locale="en"></colmena-product>
<colmena-checkout-button store="demo" api="${api.url}" locale="en"></colmena-checkout-button></main>`);
  pages["/carousel"] = hostPage(api.url, 'store="demo" limit="4" layout="carousel" locale="en"', en);
  pages["/fr"] = hostPage(api.url, 'store="demo-b" limit="4"', { cart: 'store="demo-b"' });
  pages["/honey-fr"] = hostPage(api.url, 'store="demo" category="honey" limit="12" sort="name" locale="fr"', { cart: "" });
  pages["/sw"] = hostPage(api.url, 'store="demo" limit="4" locale="sw"', { cart: 'store="demo" locale="sw"' });
  pages["/blank"] = `<!doctype html><html lang="en"><head><title>blank</title></head><body><main id="shop"></main></body></html>`;
  // A strict policy: scripts only from the API origin (plus compiling WebAssembly, which is
  // not eval), no inline script or style, requests and images only to the API.
  pages["/csp"] = {
    html: hostPage(api.url, 'store="demo" limit="4" locale="en"', en),
    headers: {
      "content-security-policy": `default-src 'none'; script-src ${api.url} 'wasm-unsafe-eval'; ` +
        `connect-src ${api.url}; img-src ${api.url}; style-src 'self'; base-uri 'none'; form-action 'none'`,
    },
  };
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

/** A fresh page (own storage) with the errors and host-page events it sees. */
async function open(path, { width = 1280, height = 900, locale } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ["colmena:add-to-cart", "colmena:cart-change", "colmena:checkout", "colmena:error"]) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: JSON.parse(JSON.stringify(e.detail ?? null)), code: e.detail?.code }));
    }
  });
  await page.goto(site.origin + path);
  return { page, context, errors, events: () => page.evaluate(() => window.__events) };
}

async function apiJson(path, init = {}) {
  const response = await fetch(api.url + path, init);
  return { status: response.status, body: await response.json() };
}

async function ownerToken() {
  const { body } = await apiJson("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  return body.data.accessToken;
}

const cards = (page) => page.locator("colmena-products .card");
const names = (page) => page.locator("colmena-products .card .name").allTextContents();

test("a shopper browses, filters, searches, buys two of a variant, pays and downloads; the order is in the admin API", async () => {
  const { page, context, errors, events } = await open("/");
  await cards(page).first().waitFor({ timeout: 15_000 });
  assert.equal(await cards(page).count(), 8);
  const total = (await apiJson("/api/v1/stores/demo/products?limit=1")).body.pagination.total;
  const pager = page.locator("colmena-products .pager .page");
  assert.equal(await pager.textContent(), `Page 1 of ${Math.ceil(total / 8)}`);

  // Browse: the next page shows other products.
  const first = await names(page);
  await page.locator("colmena-products").getByRole("button", { name: "Next" }).click();
  await page.waitForFunction((before) => {
    const shown = [...document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card .name")].map((n) => n.textContent);
    return shown.length > 0 && shown[0] !== before;
  }, first[0]);
  assert.equal(await pager.textContent(), `Page 2 of ${Math.ceil(total / 8)}`);

  // Filter by category: exactly the API's products of that category.
  const category = page.locator("colmena-products select.category");
  const option = await category.locator("option").nth(1);
  const slug = await option.getAttribute("value");
  await category.selectOption(slug);
  const expected = (await apiJson(`/api/v1/stores/demo/products?category=${slug}&limit=8`)).body.data.map((p) => p.name);
  await page.waitForFunction((want) => {
    const shown = [...document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card .name")].map((n) => n.textContent);
    return JSON.stringify(shown) === JSON.stringify(want);
  }, expected);

  // Sort: the menu shows the API's default order (newest) until the shopper picks another.
  const sort = page.locator("colmena-products select.sort");
  assert.equal(await sort.inputValue(), "newest");
  await sort.selectOption({ label: "Name" });
  const byName = (await apiJson(`/api/v1/stores/demo/products?category=${slug}&sort=name&limit=8`)).body.data.map((p) => p.name);
  assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b)));
  await page.waitForFunction((want) => {
    const shown = [...document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card .name")].map((n) => n.textContent);
    return JSON.stringify(shown) === JSON.stringify(want);
  }, byName);

  // Search (all categories again): the jacket.
  await category.selectOption("");
  const search = page.locator("colmena-products input.search");
  await search.fill("jacket");
  await search.press("Enter");
  await page.waitForFunction(() => {
    const shown = [...document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card .name")].map((n) => n.textContent);
    return shown.length === 1 && shown[0] === "Ventilated Jacket";
  });

  // Open it, choose size L (2 left), add two.
  await page.locator("colmena-products .card .name button").click();
  const dialog = page.locator("colmena-products [role=dialog]");
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute("aria-modal"), "true");
  assert.ok(await dialog.getByRole("heading", { name: "Ventilated Jacket" }).isVisible());
  await dialog.getByRole("radio", { name: "XL (Out of stock)" }).isDisabled();
  await dialog.getByRole("radio", { name: "L", exact: true }).check();
  assert.equal(await dialog.locator(".stock").textContent(), "Only 2 left");
  await dialog.getByRole("spinbutton", { name: "Quantity" }).fill("2");
  await dialog.getByRole("button", { name: "Add to cart" }).click();
  await dialog.getByText("Added to your cart.").waitFor();
  await page.screenshot({ path: join(artifacts, "storefront-detail.png") });
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  // A digital product from its card.
  await search.fill("field guide");
  await search.press("Enter");
  await page.waitForFunction(() => [...document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card .name")].map((n) => n.textContent).join() === "Beekeeping Field Guide (PDF)");
  await page.locator("colmena-products .card").getByRole("button", { name: /Add to cart/ }).click();
  await page.locator("colmena-products .notice").getByText("Added to your cart.").waitFor();

  // The cart: 3 items; one more jacket is refused (only 2 left), one guide more is fine.
  const cart = page.locator("colmena-cart");
  const toggle = cart.locator("button.toggle");
  assert.equal(await toggle.getAttribute("aria-label"), "Cart 3");
  await toggle.click();
  const drawer = cart.locator("[role=dialog]");
  await drawer.waitFor();
  const jacket = drawer.locator(".line", { hasText: "Ventilated Jacket" });
  assert.equal(await jacket.locator(".variant").textContent(), "L");
  assert.equal(await jacket.locator("input.quantity").inputValue(), "2");
  assert.ok(await jacket.getByRole("button", { name: "One more: Ventilated Jacket" }).isDisabled(), "no more than the 2 in stock");
  const guide = drawer.locator(".line", { hasText: "Field Guide" });
  await guide.getByRole("button", { name: /One more/ }).click();
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 4");
  const jacketPrice = (await apiJson("/api/v1/stores/demo/products/ventilated-jacket")).body.data.variants.find((v) => v.title === "L").price.amount;
  const guidePrice = (await apiJson("/api/v1/stores/demo/products/beekeeping-field-guide-pdf")).body.data.price.amount;
  const expectedTotal = 2 * jacketPrice + 2 * guidePrice;
  const subtotal = await drawer.locator(".subtotal .total").textContent();
  assert.equal(Number(subtotal.replace(/\D/g, "")), expectedTotal, subtotal);
  await page.screenshot({ path: join(artifacts, "storefront-cart.png") });

  // Check out and pay with the test provider.
  // The checkout (its own bundle, loaded now) asks for the details, then places the order.
  await drawer.getByRole("button", { name: /Checkout/ }).click();
  await drawer.getByLabel("Email for the receipt").fill("shopper@example.com");
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  await drawer.getByText("Test mode: no money moves.").waitFor();
  await drawer.getByRole("button", { name: /^Pay / }).click();
  await drawer.getByText("Thank you! Your order is confirmed.").waitFor();
  const orderId = await drawer.locator(".order-id").getAttribute("data-order-id");
  const link = drawer.locator("a.download");
  assert.equal(await link.textContent(), "beekeeping-field-guide.pdf");
  const pdf = await fetch(await link.getAttribute("href"));
  assert.equal(pdf.status, 200);
  assert.equal((await pdf.arrayBuffer()).byteLength > 0 && pdf.headers.get("content-type"), "application/pdf");
  await page.screenshot({ path: join(artifacts, "storefront-confirmation.png") });
  await drawer.getByRole("button", { name: "Continue shopping" }).click();
  assert.equal(await toggle.getAttribute("aria-label"), "Cart 0");

  // The store owner finds the paid order with its lines.
  const token = await ownerToken();
  const order = await apiJson(`/api/v1/admin/stores/demo/orders/${orderId}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(order.status, 200);
  assert.equal(order.body.data.status, "paid");
  assert.equal(order.body.data.email, "shopper@example.com");
  assert.equal(order.body.data.total.amount, expectedTotal);
  assert.deepEqual(order.body.data.items.map((i) => [i.productName, i.variantTitle, i.quantity]).sort(),
    [["Beekeeping Field Guide (PDF)", "Default", 2], ["Ventilated Jacket", "L", 2]].sort());

  // The host page heard every step.
  const seen = await events();
  const adds = seen.filter((e) => e.name === "colmena:add-to-cart").map((e) => e.detail.quantity);
  assert.deepEqual(adds, [2, 1]);
  const checkouts = seen.filter((e) => e.name === "colmena:checkout").map((e) => e.detail.status);
  assert.deepEqual(checkouts, ["pending_payment", "paid"]);
  assert.ok(seen.filter((e) => e.name === "colmena:cart-change").length >= 4);
  assert.ok(seen.some((e) => e.name === "colmena:error" && e.code === "INSUFFICIENT_INVENTORY") === false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the cart survives a reload and an API outage, says so, and syncs when the API is back", async () => {
  const { page, context, events } = await open("/");
  await cards(page).first().waitFor({ timeout: 15_000 });
  const toggle = page.locator("colmena-cart button.toggle");
  await page.locator("colmena-products .card").getByRole("button", { name: /Add to cart/ }).first().click();
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 1");

  // The API goes down: the next add is kept on the device and the shopper is told.
  await context.route(`${api.url}/api/**`, (route) => route.abort("connectionrefused"));
  await page.locator("colmena-products .card").getByRole("button", { name: /Add to cart/ }).nth(1).click();
  await page.locator("colmena-products .notice").getByText(/Your cart is saved on this device/).waitFor({ timeout: 15_000 });
  assert.equal(await toggle.getAttribute("aria-label"), "Cart 2");

  // A reload while the API is still down: the grid says so, the cart still has both lines.
  await page.reload();
  await page.locator("colmena-products .error").getByText(/cannot be reached/).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector("colmena-cart")?.shadowRoot?.querySelector(".toggle")?.getAttribute("aria-label") === "Cart 2");
  await toggle.click();
  const drawer = page.locator("colmena-cart [role=dialog]");
  assert.equal(await drawer.locator(".line").count(), 2);
  await page.screenshot({ path: join(artifacts, "storefront-offline.png") });

  // Back up: "Try again" replays the saved change; the server cart holds both lines.
  await context.unroute(`${api.url}/api/**`);
  const retry = drawer.getByRole("button", { name: "Try again" });
  if (await retry.count()) await retry.click();
  await page.waitForFunction(() => window.__events.some((e) => e.name === "colmena:cart-change" && e.detail.pending === 0 && !e.detail.offline));
  const saved = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith("colmena:cart:"))[1]);
  const state = JSON.parse(saved);
  assert.equal(state.journal.length, 0);
  const server = await apiJson(`/api/v1/stores/demo/carts/${state.cartId}`);
  assert.equal(server.body.data.items.length, 2);
  assert.ok((await events()).some((e) => e.name === "colmena:cart-change" && e.detail.offline));
  await context.close();
});

test("works under a strict Content-Security-Policy with nothing injected into the host page", async () => {
  const { page, context, errors } = await open("/csp");
  const violations = [];
  await page.exposeFunction("__violation", (v) => violations.push(v));
  await page.evaluate(() => document.addEventListener("securitypolicyviolation", (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`)));
  await cards(page).first().waitFor({ timeout: 15_000 });
  await page.locator("colmena-products .card").getByRole("button", { name: /Add to cart/ }).first().click();
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 1");
  await page.locator("colmena-cart button.toggle").click();
  await page.locator("colmena-cart [role=dialog]").waitFor();
  // The widget's styles are constructed stylesheets in its shadow roots: the host page has no
  // added <style>, <link> or adopted sheet, and its own elements keep their styles.
  const host = await page.evaluate(() => ({
    styles: document.querySelectorAll("style, link[rel=stylesheet]").length,
    adopted: document.adoptedStyleSheets.length,
    sheets: document.styleSheets.length,
  }));
  assert.deepEqual(host, { styles: 0, adopted: 0, sheets: 0 });
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("keyboard: the cart drawer traps focus, closes on Escape and gives focus back", async () => {
  const { page, context } = await open("/");
  await cards(page).first().waitFor({ timeout: 15_000 });
  const toggle = page.locator("colmena-cart button.toggle");
  await toggle.focus();
  await page.keyboard.press("Enter");
  const drawer = page.locator("colmena-cart [role=dialog]");
  await drawer.waitFor();
  const focused = () => page.evaluate(() => document.querySelector("colmena-cart").shadowRoot.activeElement?.getAttribute("data-key"));
  assert.equal(await focused(), "close");
  // An empty cart has one control: Tab and Shift+Tab stay on it.
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "close");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "close");
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "detached" });
  assert.equal(await focused(), "toggle");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");

  // The product dialog: opened from the keyboard, focus returns to the card's button.
  const name = page.locator("colmena-products .card .name button").first();
  await name.focus();
  await page.keyboard.press("Enter");
  await page.locator("colmena-products [role=dialog]").waitFor();
  for (let i = 0; i < 12; i++) await page.keyboard.press("Tab");
  const inside = await page.evaluate(() => !!document.querySelector("colmena-products").shadowRoot.activeElement?.closest("[role=dialog]"));
  assert.ok(inside, "focus stays in the dialog");
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.querySelector("colmena-products").shadowRoot.activeElement?.getAttribute("data-key")), "open-0");
  await context.close();
});

test("product detail element, checkout button and infinite scroll", async () => {
  const { page, context } = await open("/product");
  const detail = page.locator("colmena-product");
  await detail.getByRole("heading", { name: "Ventilated Jacket" }).waitFor({ timeout: 15_000 });
  await detail.getByRole("radio", { name: "M", exact: true }).check();
  await detail.getByRole("button", { name: "Add to cart" }).click();
  // The host page styles the button through ::part, under any of its class names.
  await page.addStyleTag({ content: "colmena-checkout-button::part(toggle) { border-color: rgb(1, 2, 3); } colmena-checkout-button::part(primary) { letter-spacing: 3px; }" });
  const styled = await page.evaluate(() => {
    const style = getComputedStyle(document.querySelector("colmena-checkout-button").shadowRoot.querySelector(".toggle"));
    return [style.borderTopColor, style.letterSpacing];
  });
  assert.deepEqual(styled, ["rgb(1, 2, 3)", "3px"]);
  const checkout = page.locator("colmena-checkout-button button.toggle");
  await page.waitForFunction(() => document.querySelector("colmena-checkout-button").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Checkout 1");
  await checkout.click();
  // The checkout button opens the drawer at its checkout button; the checkout opens at the email field.
  assert.equal(await page.evaluate(() => document.querySelector("colmena-checkout-button").shadowRoot.activeElement?.getAttribute("data-key")), "submit-checkout");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("colmena-checkout-button").shadowRoot.activeElement?.getAttribute("data-key") === "email");
  await context.close();

  const list = await open("/infinite");
  await cards(list.page).first().waitFor({ timeout: 15_000 });
  // Pages hold 6; the observer may already have fetched the next page if the sentinel was in view.
  const first = await cards(list.page).count();
  assert.ok(first >= 6 && first % 6 === 0, `whole pages of 6 are shown, got ${first}`);
  await list.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await list.page.waitForFunction((shown) => document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card").length > shown, first);
  await list.context.close();
});

test("a carousel loads pages as it scrolls sideways, keeps its place, and has buttons to scroll", async () => {
  const { page, context } = await open("/carousel");
  await cards(page).first().waitFor({ timeout: 15_000 });
  const total = (await apiJson("/api/v1/stores/demo/products?limit=1")).body.pagination.total;
  const shown = () => cards(page).count();
  // It fills its width (and a margin) but does not fetch the whole catalog up front.
  await page.waitForTimeout(1_000);
  const first = await shown();
  assert.ok(first >= 4 && first < total, `${first} of ${total} cards before any scroll`);
  const scrollLeft = () => page.evaluate(() => document.querySelector("colmena-products").shadowRoot.querySelector(".products").scrollLeft);
  const forward = page.locator("colmena-products").getByRole("button", { name: "Next" });
  for (let i = 0; i < 20 && (await shown()) === first; i++) {
    await forward.click();
    await page.waitForTimeout(250);
  }
  await page.waitForFunction((n) => document.querySelector("colmena-products").shadowRoot.querySelectorAll(".card").length > n, first);
  await page.waitForTimeout(600);
  const scrolled = await scrollLeft();
  assert.ok(scrolled > 0, "the appended page does not throw the carousel back to its start");
  await page.locator("colmena-products").getByRole("button", { name: "Previous" }).click();
  await page.waitForFunction((was) => document.querySelector("colmena-products").shadowRoot.querySelector(".products").scrollLeft < was, scrolled);
  await context.close();
});

test("strings follow the store's locale (French for demo-b) or the locale attribute (Swahili)", async () => {
  const fr = await open("/fr");
  await cards(fr.page).first().waitFor({ timeout: 15_000 });
  assert.ok(await fr.page.locator("colmena-products").getByLabel("Rechercher des produits").isVisible());
  assert.equal(await fr.page.locator("colmena-cart button.toggle").getAttribute("aria-label"), "Panier 0");
  assert.equal(await fr.page.locator("colmena-products .catalog").getAttribute("lang"), "fr");
  await fr.context.close();
  const sw = await open("/sw");
  await cards(sw.page).first().waitFor({ timeout: 15_000 });
  assert.ok(await sw.page.locator("colmena-products").getByRole("button", { name: /Weka kwenye kikapu/ }).first().isVisible());
  assert.equal(await sw.page.locator("colmena-cart button.toggle").getAttribute("aria-label"), "Kikapu 0");
  await sw.context.close();
});

test("product content follows the locale attribute, never the browser's languages alone", async () => {
  // A French page of the Spanish-speaking demo store: French names where translated.
  const fr = await open("/honey-fr", { locale: "de-DE" });
  await cards(fr.page).first().waitFor({ timeout: 15_000 });
  const french = await names(fr.page);
  assert.ok(french.includes("Miel de fleurs sauvages 500 g"), french.join(", "));
  assert.ok(!french.includes("Wildflower Honey 500 g"), french.join(", "));
  await fr.context.close();
  // A browser asking for French on a page without a locale: the widget speaks the store's
  // language (demo-b's French strings) and shows its own content, not another language's.
  const plain = await open("/fr", { locale: "es-ES" });
  await cards(plain.page).first().waitFor({ timeout: 15_000 });
  const own = await names(plain.page);
  assert.ok(own.every((name) => !name.startsWith("Tela") && !name.startsWith("Tejido")), own.join(", "));
  await plain.context.close();
});

test("the ColmenaWidget class validates its config, renders, updates and destroys", async () => {
  const { page, context } = await open("/blank");
  const result = await page.evaluate(async (api) => {
    const { ColmenaWidget, ready } = await import(`${api}/widget/colmena.js`);
    await ready;
    const refused = [];
    for (const config of [{ container: "#shop" }, { store: "demo", container: "#nope" }, { store: "demo", container: "#shop", layout: "masonry" },
      { store: "demo", container: "#shop", customStyles: { color: "red" } }]) {
      try { new ColmenaWidget(config); refused.push(null); } catch (e) { refused.push(`${e.name}:${e.code}:${e.message}`); }
    }
    let missing = null;
    try { await new ColmenaWidget({ store: "no-such-store", container: "#shop", apiEndpoint: api }).init(); } catch (e) { missing = `${e.name}:${e.code}`; }
    const widget = new ColmenaWidget({ store: "demo", container: "#shop", layout: "grid", theme: "dark", apiEndpoint: api, version: "0.1",
      customStyles: { "--colmena-brand": "#0f766e" }, limit: 4, locale: "fr", controls: "false" });
    await widget.init();
    widget.render();
    const rendered = [...document.querySelectorAll("#shop > *")].map((e) => e.tagName.toLowerCase());
    const products = document.querySelector("#shop colmena-products");
    const brand = products.style.getPropertyValue("--colmena-brand");
    const locales = [...document.querySelectorAll("#shop > *")].map((e) => e.getAttribute("locale"));
    const controls = products.getAttribute("controls");
    widget.update({ layout: "list" });
    const layout = document.querySelector("#shop colmena-products").getAttribute("layout");
    widget.destroy();
    return { refused, missing, rendered, brand, theme: products.getAttribute("theme"), layout, locales, controls, after: document.querySelectorAll("#shop > *").length };
  }, api.url);
  assert.match(result.refused[0], /^InvalidRequestError:INVALID_REQUEST:.*store is required/);
  assert.match(result.refused[1], /no element matches #nope/);
  assert.match(result.refused[2], /layout .masonry. is not one of grid, list, carousel/);
  assert.match(result.refused[3], /--colmena-\* properties, not color/);
  assert.equal(result.missing, "NotFoundError:STORE_NOT_FOUND");
  assert.deepEqual(result.rendered, ["colmena-products", "colmena-cart"]);
  assert.equal(result.brand, "#0f766e");
  assert.equal(result.theme, "dark");
  assert.equal(result.layout, "list");
  assert.deepEqual(result.locales, ["fr", "fr"], "the locale reaches the list and the cart");
  assert.equal(result.controls, "false");
  assert.equal(result.after, 0);
  await context.close();
});

test("the host page's code drives the same cart through cart(store, api)", async () => {
  const { page, context } = await open("/");
  await cards(page).first().waitFor({ timeout: 15_000 });
  const result = await page.evaluate(async (api) => {
    const { cart, ready } = await import(`${api}/widget/colmena.js`);
    await ready;
    const shop = cart("demo", api);
    const count = await shop.add("wildflower-honey-500-g", undefined, 2);
    let refused = null;
    try { await shop.add("raw-comb-honey-400-g", undefined, 50); } catch (e) { refused = `${e.name}:${e.code}:${e.available}`; }
    let invalid = null;
    try { await shop.remove("not-a-uuid"); } catch (e) { invalid = e.name; }
    const lines = shop.lines();
    const opened = shop.open();
    // The same API written with a trailing slash is the same cart.
    const slashed = cart("demo", `${api}/`).itemCount;
    return { count, refused, invalid, lines: lines.map((l) => [l.productName, l.quantity]), subtotal: shop.subtotal(), itemCount: shop.itemCount, opened, slashed };
  }, api.url);
  assert.equal(result.slashed, 2);
  assert.equal(result.count, 2);
  assert.equal(result.refused, "InsufficientInventoryError:INSUFFICIENT_INVENTORY:3");
  assert.equal(result.invalid, "InvalidRequestError");
  assert.deepEqual(result.lines, [["Wildflower Honey 500 g", 2]]);
  assert.deepEqual(result.subtotal, { amount: 1900, currency: "EUR" });
  assert.equal(result.itemCount, 2);
  assert.ok(result.opened);
  // The cart element shows it, with its drawer open.
  await page.locator("colmena-cart [role=dialog] .line").first().waitFor();
  assert.equal(await page.locator("colmena-cart button.toggle").getAttribute("aria-label"), "Cart 2");
  await context.close();
});

test("axe-core finds no serious or critical violations in the grid, the dialog and the cart", async () => {
  const { page, context } = await open("/");
  await cards(page).first().waitFor({ timeout: 15_000 });
  await page.addScriptTag({ path: axePath });
  const audit = () => page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(await audit(), [], "grid");
  await page.locator("colmena-products .card").getByRole("button", { name: /Add to cart/ }).first().click();
  await page.locator("colmena-products .card .name button").first().click();
  await page.locator("colmena-products [role=dialog]").waitFor();
  assert.deepEqual(await audit(), [], "product dialog");
  await page.keyboard.press("Escape");
  await page.locator("colmena-cart button.toggle").click();
  await page.locator("colmena-cart [role=dialog] .line").first().waitFor();
  assert.deepEqual(await audit(), [], "cart drawer");
  await context.close();
});

test("responsive from 320 to 1440 px: screenshots for docs/", async () => {
  for (const width of [320, 1440]) {
    const { page, context } = await open("/", { width, height: 900 });
    await cards(page).nth(3).waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => [...document.querySelector("colmena-products").shadowRoot.querySelectorAll("img")].slice(0, 4).every((i) => i.complete && i.naturalWidth > 0));
    // Nothing wider than the viewport: no horizontal scrolling at 320 px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${width}px: ${overflow}px of horizontal overflow`);
    await page.screenshot({ path: join(artifacts, `storefront-${width}.png`) });
    await context.close();
  }
});
