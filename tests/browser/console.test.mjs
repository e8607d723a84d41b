// The merchant console at /admin in headless Chromium, against a live colmena-server: the demo
// owner signs in, reads the dashboard, finds an order, fulfils it and sees its history; the session
// survives a reload; a wrong password is refused in the form; axe-core finds no serious or
// critical violation on any page. Screenshots at 1440 and 390 px land in tests/browser/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:http";
import { startApi, launchChromium, png, root } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const artifacts = join(root, "tests/browser/artifacts");
let api, browser, paidOrder;

/** A paid order of the demo store, bought over the public API with the test provider. */
async function buyOne() {
  const call = async (path, body) => {
    const response = await fetch(`${api.url}${path}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const envelope = await response.json();
    assert.ok(response.ok, JSON.stringify(envelope));
    return envelope.data;
  };
  const product = (await (await fetch(`${api.url}/api/v1/stores/demo/products/beekeeping-field-guide-pdf`)).json()).data;
  const cart = await call("/api/v1/stores/demo/carts", { items: [{ variantId: product.variants[0].id, quantity: 2 }] });
  const session = await call("/api/v1/stores/demo/checkout", { cartId: cart.id, email: "awa@example.com" });
  await call(`/api/v1/stores/demo/test-payments/${session.order.payment.reference}`, { outcome: "succeed" });
  return session.order;
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  // Webhooks may go to this machine's own receiver, and are retried quickly.
  api = await startApi([], [
    "--rate-limit-login", "0", "--webhook-allow-http", "--webhook-allow-private",
    "--webhook-retry-base-ms", "200", "--webhook-poll-ms", "50",
  ]);
  paidOrder = await buyOne();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

async function audit(page, name) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], name);
}

/** An access token of the demo owner, for set-up calls. */
async function adminToken() {
  const login = await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  return (await login.json()).data.accessToken;
}

/** A real PNG (the server decodes uploads in full): a 48 × 48 honey-coloured gradient. */
const honeyPng = () => png(48, 48, [245, 158, 11], [197, 110, 58]);

/** Drops `files` ({ name, type, base64 }) on the drop zone `zone`, as a drag from the desktop does. */
async function drop(zone, files) {
  await zone.evaluate((element, files) => {
    const data = new DataTransfer();
    for (const { name, type, base64 } of files) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], name, { type }));
    }
    element.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
    element.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files);
}

/** The demo store's product `slug` as the admin API shows it. */
async function adminProduct(slug) {
  const token = await adminToken();
  const headers = { authorization: `Bearer ${token}` };
  const list = await (await fetch(`${api.url}/api/v1/admin/stores/demo/products?q=${encodeURIComponent(slug.replaceAll("-", " "))}&limit=50`, { headers })).json();
  return list.data.find((product) => product.slug === slug);
}

/** Opens the product named `name` in the editor, from the products page. */
async function openProduct(page, name) {
  await page.getByRole("button", { name: "Products", exact: true }).click();
  await page.getByLabel("Search").fill(name);
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name, exact: true }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
  await page.getByRole("button", { name: "Save details" }).waitFor();
}

/** Horizontal overflow of the page, in pixels (none: the page fits the window). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function signIn(page, password = "demo-password") {
  await page.goto(`${api.url}/admin`);
  await page.getByLabel("Store").fill("demo");
  await page.getByLabel("Email").fill("owner@demo.test");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a wrong password is refused in the form", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "not-the-password");
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /invalid store, email or password/);
  await audit(page, "sign-in");
  await page.screenshot({ path: join(artifacts, "console-sign-in-1440.png") });
  await context.close();
});

test("the owner reads the dashboard, fulfils an order and sees its history", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page);

  // The dashboard: the paid order's revenue (2 × 9,90 €) and its product on top.
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await page.locator(".cards .figure").first().waitFor();
  const figures = await page.locator(".cards .figure").allTextContents();
  assert.match(figures[0], /19\.80|19,80/, `revenue: ${figures}`);
  assert.match(await page.locator("svg.chart").textContent(), /Beekeeping Field Guide/);
  await audit(page, "dashboard");
  await page.screenshot({ path: join(artifacts, "console-dashboard-1440.png"), fullPage: true });

  // Orders: filtered to paid ones, the order is there.
  await page.getByRole("button", { name: "Orders" }).click();
  await page.getByRole("heading", { name: "Orders" }).waitFor();
  await page.getByLabel("Status").selectOption("paid");
  const label = `#${paidOrder.number}`;
  await page.getByRole("button", { name: label }).click();
  await audit(page, "orders");

  // Its detail: fulfil it; the history shows who did what.
  await page.getByRole("heading", { name: `Order ${label}` }).waitFor();
  await page.getByRole("button", { name: "Mark fulfilled" }).click();
  await page.locator(".history li", { hasText: "fulfilled by owner@demo.test (user)" }).waitFor();
  const history = await page.locator(".history li").allTextContents();
  assert.equal(history.length, 3, history.join("\n"));
  assert.match(history[0], /new → pending_payment by checkout \(system\)/);
  assert.match(history[1], /pending_payment → paid by payment: test provider \(system\)/);
  await audit(page, "order detail");
  await page.screenshot({ path: join(artifacts, "console-order-1440.png"), fullPage: true });

  // The session survives a reload.
  await page.reload();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("settings show the API's refusal beside the field, and save", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await page.getByRole("button", { name: "Settings" }).click();
  const currency = page.getByLabel("Currency (ISO 4217, e.g. EUR)");
  await page.waitForFunction(() => document.querySelector("#field-currency")?.value === "EUR");
  await currency.fill("EURO");
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator("#field-currency-error", { hasText: "ISO 4217" }).waitFor();
  assert.equal(await currency.getAttribute("aria-invalid"), "true");
  await audit(page, "settings");
  await page.screenshot({ path: join(artifacts, "console-settings-1440.png"), fullPage: true });
  await currency.fill("EUR");
  await page.getByLabel("Store name").fill("Colmena Honey Co. (console)");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const store = (await (await fetch(`${api.url}/api/v1/stores/demo`)).json()).data;
  assert.equal(store.name, "Colmena Honey Co. (console)");
  // Payments: this server has no Stripe keys, and a Connect account has its own shape; both
  // refusals show beside their fields.
  await page.getByLabel("Payment provider").selectOption("stripe");
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator("#field-paymentProvider-error", { hasText: "not a provider this server offers" }).waitFor();
  await page.getByLabel("Payment provider").selectOption("test");
  const account = page.getByLabel(/^Stripe Connect account/);
  await account.fill("acct-123");
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator("#field-stripeAccountId-error", { hasText: "acct_" }).waitFor();
  await account.fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await context.close();
});

test("the owner adds a product, then hides it from shoppers", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await page.getByRole("button", { name: "Products" }).click();
  await page.getByText("New product").click();
  await page.getByLabel("Name").fill("Console Candle");
  // Required fields' labels end in an asterisk hidden from assistive technology: their
  // accessible name is the label alone.
  const price = page.getByRole("textbox", { name: "Price (EUR)", exact: true });
  await price.fill("12,5O");
  await page.getByRole("button", { name: "Create product" }).click();
  // The field's id is a CSS identifier: variants[0].price is field-variants-0-price.
  await page.locator("#field-variants-0-price-error", { hasText: "enter a price" }).waitFor();
  assert.equal(await price.getAttribute("aria-invalid"), "true");
  await price.fill("12,50");
  await page.getByLabel("Units in stock").fill("3");
  await page.getByRole("button", { name: "Create product" }).click();
  await page.getByLabel("Search").fill("console candle");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  const row = page.locator("tbody tr", { hasText: "Console Candle" });
  await row.waitFor();
  assert.match(await row.textContent(), /€12\.50.*3.*on sale/);
  await audit(page, "products");
  await page.screenshot({ path: join(artifacts, "console-products-1440.png"), fullPage: true });
  const shopper = async () => (await fetch(`${api.url}/api/v1/stores/demo/products/console-candle`)).status;
  assert.equal(await shopper(), 200);
  await row.getByRole("button", { name: "Hide" }).click();
  await page.locator("tbody tr", { hasText: "Console Candle" }).filter({ hasText: "hidden" }).waitFor();
  assert.equal(await shopper(), 404);
  await context.close();
});

test("the owner invites a teammate, changes their role and removes them", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await page.getByRole("button", { name: "Team" }).click();
  await page.getByLabel("Invite by email").fill("not-an-email");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await page.locator("#field-email-error").filter({ hasText: /./ }).waitFor();
  await page.getByLabel("Invite by email").fill("mo@demo.test");
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await page.getByRole("status").filter({ hasText: "Invitation for mo@demo.test" }).waitFor();
  const row = page.locator("tbody tr", { hasText: "mo@demo.test" });
  await row.waitFor();
  assert.match(await row.textContent(), /invited/);
  assert.equal(await row.getByRole("combobox").inputValue(), "admin");
  await audit(page, "team");
  await page.screenshot({ path: join(artifacts, "console-team-1440.png"), fullPage: true });
  await row.getByRole("combobox").selectOption("editor");
  await page.waitForFunction(async () => {
    const saved = JSON.parse(sessionStorage.getItem("colmena-console-session"));
    const users = await (await fetch("/api/v1/admin/stores/demo/users", {
      headers: { authorization: `Bearer ${saved.tokens.accessToken}` },
    })).json();
    return users.data.some((u) => u.email === "mo@demo.test" && u.role === "editor");
  });
  await row.getByRole("button", { name: "Remove" }).click();
  await page.locator("tbody tr", { hasText: "mo@demo.test" }).waitFor({ state: "detached" });
  await context.close();
});

test("an editor sees only what an editor may do", async () => {
  const owner = await adminToken();
  const invited = await fetch(`${api.url}/api/v1/admin/stores/demo/users`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${owner}` },
    body: JSON.stringify({ email: "eli@demo.test", role: "editor" }),
  });
  const token = (await invited.json()).data.invitationToken;
  const accepted = await fetch(`${api.url}/api/v1/auth/accept-invite`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password: "Editor passw0rd!" }),
  });
  assert.equal(accepted.status, 200);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${api.url}/admin`);
  await page.getByLabel("Store").fill("demo");
  await page.getByLabel("Email").fill("eli@demo.test");
  await page.getByLabel("Password").fill("Editor passw0rd!");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Orders" }).waitFor();
  const nav = await page.getByRole("navigation", { name: "Console" }).getByRole("button").allTextContents();
  assert.deepEqual(nav, ["Orders", "Conversations", "Products", "Categories", "Product types", "Storefront", "Account"]);
  await context.close();
});

test("an invitee chooses a password from the link, resets a forgotten one, and changes it", async () => {
  const owner = await adminToken();
  const invited = await fetch(`${api.url}/api/v1/admin/stores/demo/users`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${owner}` },
    body: JSON.stringify({ email: "ana@demo.test", role: "admin" }),
  });
  const token = (await invited.json()).data.invitationToken;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const choose = async (password, button) => {
    await page.getByLabel("New password").fill(password);
    await page.getByLabel("Repeat the password").fill(password);
    await page.getByRole("button", { name: button }).click();
  };

  // The invitation link: the token leaves the address bar at once; a weak password is refused.
  await page.goto(`${api.url}/admin/#accept-invite?store=demo&token=${token}`);
  await page.getByRole("heading", { name: "Welcome: choose your password" }).waitFor();
  assert.equal(new URL(page.url()).hash, "");
  await choose("weak", "Set password and sign in");
  await page.locator("#field-password-error").filter({ hasText: /upper-case/ }).waitFor();
  await audit(page, "choose-password");
  await page.screenshot({ path: join(artifacts, "console-choose-password-1440.png") });
  await choose("First passw0rd!", "Set password and sign in");
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();

  // Forgotten: the sign-in page asks for a link, which the server logs (no mail server here).
  await page.getByLabel("Store").fill("demo");
  await page.getByLabel("Email").fill("ana@demo.test");
  await page.getByRole("button", { name: /Forgot your password/ }).click();
  await page.getByRole("status").filter({ hasText: "a link to choose a new password is on its way" }).waitFor();
  const logged = await api.logLine(/reset-password\?store=demo&token=/);
  const link = logged.match(/(http:\/\/\S+#reset-password\?store=demo&token=[\w-]+)/)[1];
  await page.goto(link);
  await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
  await choose("Second passw0rd!", "Save password and sign in");
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();

  // Changed on the Account page: a wrong current password is refused beside its field.
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByLabel("Current password").fill("not-it");
  await page.getByLabel("New password").fill("Third passw0rd!");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator("#field-currentPassword-error").filter({ hasText: /not the password in use/ }).waitFor();
  await page.getByLabel("Current password").fill("Second passw0rd!");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByRole("status").filter({ hasText: "Your password is changed." }).waitFor();
  await audit(page, "account");
  await page.screenshot({ path: join(artifacts, "console-account-1440.png") });
  // The new tokens were saved: a reload stays signed in.
  await page.reload();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  const login = await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "ana@demo.test", password: "Third passw0rd!" }),
  });
  assert.equal(login.status, 200);
  await context.close();
});

test("the owner creates and revokes an API key, follows webhook deliveries and redelivers one, and reads the audit log", async (t) => {
  // A partner's receiver that refuses its first request, then accepts.
  const received = [];
  const receiver = createServer((request, response) => {
    request.resume();
    received.push(request.headers["colmena-event-id"] ?? request.headers["x-colmena-event-id"] ?? "");
    response.writeHead(received.length === 1 ? 500 : 204).end();
  });
  await new Promise((ok) => receiver.listen(0, "127.0.0.1", ok));
  // Closed even when an assertion fails: a listening server would keep the test process alive.
  t.after(() => { receiver.closeAllConnections(); receiver.close(); });
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);

  // API keys: the secret is shown once, the list shows only its prefix.
  await page.getByRole("button", { name: "API keys" }).click();
  await page.getByLabel("Name").fill("Storefront");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("status").filter({ hasText: "shown only once" });
  await shown.waitFor();
  const secret = await shown.locator("code").textContent();
  assert.match(secret, /^pk_/);
  const keyRow = page.locator("tbody tr", { hasText: "Storefront" });
  assert.ok(!(await keyRow.textContent()).includes(secret), "the list never shows the whole key");
  await audit(page, "api-keys");
  await page.screenshot({ path: join(artifacts, "console-api-keys-1440.png"), fullPage: true });
  await keyRow.getByRole("button", { name: "Revoke Storefront" }).click();
  await keyRow.waitFor({ state: "detached" });
  assert.equal((await fetch(`${api.url}/api/v1/stores/demo`, { headers: { authorization: `Bearer ${secret}` } })).status, 401);

  // Webhooks: a refused URL names its field; then an endpoint for product changes.
  await page.getByRole("button", { name: "Webhooks" }).click();
  await page.getByLabel("Endpoint URL").fill("ftp://partner.example/hooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.locator("#field-url-error").filter({ hasText: /https/ }).waitFor();
  await page.getByLabel("Endpoint URL").fill(hookUrl);
  await page.getByLabel("order.paid").uncheck();
  await page.getByLabel("product.updated").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByRole("status").filter({ hasText: "Signing secret" }).waitFor();
  // A product change sends product.updated: refused once (500), delivered on the retry.
  const owner = await adminToken();
  const products = await (await fetch(`${api.url}/api/v1/admin/stores/demo/products?limit=1`, {
    headers: { authorization: `Bearer ${owner}` },
  })).json();
  const changed = await fetch(`${api.url}/api/v1/admin/stores/demo/products/${products.data[0].id}`, {
    method: "PATCH", headers: { "content-type": "application/json", authorization: `Bearer ${owner}` },
    body: JSON.stringify({ featured: true }),
  });
  assert.equal(changed.status, 200);
  await page.getByRole("button", { name: "Deliveries" }).click();
  const delivered = page.locator("tbody tr", { hasText: "product.updated" }).filter({ hasText: "delivered" });
  for (let tries = 0; !(await delivered.count()) && tries < 100; tries += 1) {
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForTimeout(100);
  }
  assert.match(await delivered.first().textContent(), /HTTP 500[\s\S]*HTTP 204/);
  await audit(page, "webhooks");
  await page.screenshot({ path: join(artifacts, "console-webhooks-1440.png"), fullPage: true });
  await delivered.first().getByRole("button", { name: "Redeliver" }).click();
  await page.locator("tbody tr", { hasText: "product.updated" }).nth(1).waitFor();
  for (let tries = 0; received.length < 3 && tries < 100; tries += 1) await page.waitForTimeout(100);
  assert.equal(received.length, 3, "the redelivery reached the receiver");

  // The audit log shows who did it, filtered to webhook endpoints.
  await page.getByRole("button", { name: "Audit log" }).click();
  await page.getByLabel("Record kind").selectOption("webhook");
  await page.getByRole("button", { name: "Filter" }).click();
  // The unfiltered list is on screen until the filtered page arrives.
  await page.locator("tbody tr").filter({ hasNotText: "webhook" }).first().waitFor({ state: "detached" });
  await page.locator("tbody tr", { hasText: "redeliver" }).waitFor();
  const rows = await page.locator("tbody tr").allTextContents();
  assert.ok(rows.every((row) => row.includes("webhook")), rows.join("\n"));
  assert.ok(rows.some((row) => row.includes("create") && row.includes("owner@demo.test")), rows.join("\n"));
  await audit(page, "audit-log");
  await page.screenshot({ path: join(artifacts, "console-audit-log-1440.png"), fullPage: true });
  await context.close();
});

test("the owner sets a tax rate, a shipping zone and a discount code; a shopper's cart is priced with them", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);

  // Swiss VAT (8.1 %), then a zone for Switzerland with one flat rate.
  await page.getByRole("button", { name: "Shipping & tax" }).click();
  await page.getByRole("heading", { name: "Shipping & tax" }).waitFor();
  const addRate = page.getByRole("form", { name: "Add a tax rate" });
  await addRate.getByLabel("Country (e.g. FR)").fill("CH");
  await addRate.getByLabel("Rate (%)").fill("8.1");
  await addRate.getByLabel("Name on receipts (e.g. TVA)").fill("MWST");
  await addRate.getByRole("button", { name: "Add rate" }).click();
  const swiss = page.locator("tbody tr").filter({ hasText: /^CHMWST/ });
  await swiss.waitFor();
  assert.match(await swiss.textContent(), /8\.1 %/);
  const addZone = page.getByRole("form", { name: "Add a shipping zone" });
  await addZone.getByLabel("Zone name").fill("Switzerland");
  await addZone.getByLabel(/^Destinations/).fill("CH");
  await addZone.getByLabel("Rate name (e.g. Colissimo)").fill("Swiss Post");
  await addZone.getByLabel("Price").fill("12.00");
  await addZone.getByRole("button", { name: "Add zone" }).click();
  await page.locator(".zones li", { hasText: "Swiss Post" }).waitFor();
  await audit(page, "shipping and tax");
  await page.screenshot({ path: join(artifacts, "console-shipping-tax-1440.png"), fullPage: true });

  // A code: 15 % off, refused without a percentage first (the API names the field).
  await page.getByRole("button", { name: "Discounts" }).click();
  const form = page.getByRole("form", { name: "New discount" });
  await form.getByLabel("Name (shown on carts and receipts)").fill("Console fifteen");
  await form.getByLabel("Code (empty: applies by itself)").fill("console15");
  await form.getByRole("button", { name: "Create discount" }).click();
  await page.locator("#field-value-error").filter({ hasText: /basis points/ }).waitFor();
  await form.getByLabel("Percentage off").fill("15");
  await form.getByRole("button", { name: "Create discount" }).click();
  await page.locator("tbody tr", { hasText: "CONSOLE15" }).waitFor();
  await audit(page, "discounts");
  await page.screenshot({ path: join(artifacts, "console-discounts-1440.png"), fullPage: true });

  // A shopper in Zürich: Swiss Post is offered, the code applies, VAT is inside the price.
  const honey = (await (await fetch(`${api.url}/api/v1/stores/demo/products/wildflower-honey-500-g`)).json()).data;
  const cart = (await (await fetch(`${api.url}/api/v1/stores/demo/carts`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ items: [{ variantId: honey.variants[0].id, quantity: 2 }] }),
  })).json()).data;
  const priced = await (await fetch(`${api.url}/api/v1/stores/demo/carts/${cart.id}`, {
    method: "PATCH", headers: { "content-type": "application/json" },
    body: JSON.stringify({
      shippingAddress: { name: "Lea", line1: "Bahnhofstrasse 1", city: "Zürich", postalCode: "8001", country: "CH" },
      discountCodes: ["CONSOLE15"],
    }),
  })).json();
  assert.equal(priced.data.shippingOptions.find((o) => o.name === "Swiss Post")?.price.amount, 1200, JSON.stringify(priced));
  assert.equal(priced.data.totals.discounts[0].code, "CONSOLE15");
  assert.equal(priced.data.totals.discountTotal.amount, 285);
  assert.ok(priced.data.totals.taxIncluded && priced.data.totals.tax.amount > 0);

  // The zone goes again (the other tests' orders ship nowhere).
  await page.getByRole("button", { name: "Shipping & tax" }).click();
  await page.getByRole("button", { name: "Delete the zone Switzerland" }).click();
  await page.locator(".zones li", { hasText: "Swiss Post" }).waitFor({ state: "detached" });
  await context.close();
});

/** The demo store's storefront as shoppers' storefronts receive it (with `preview`, the draft). */
async function publicStorefront(preview) {
  const query = preview ? `?preview=${encodeURIComponent(preview)}` : "";
  const response = await fetch(`${api.url}/api/v1/stores/demo/storefront${query}`);
  assert.equal(response.status, 200);
  return (await response.json()).data;
}

/** `datetime-local` text for `hours` from now in the page's time zone. */
async function localInputIn(page, hours) {
  return page.evaluate((hours) => {
    const at = new Date(Date.now() + hours * 3600e3);
    const two = (n) => String(n).padStart(2, "0");
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  }, hours);
}

test("storefront: the owner edits the theme and banners, previews, publishes, rolls back and schedules", async () => {
  // A merchant in Madrid: schedules are typed in local time and reach the API in UTC.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: "Europe/Madrid" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page);
  await page.getByRole("navigation", { name: "Console" }).getByRole("button", { name: "Storefront" }).click();
  await page.getByRole("heading", { level: 1, name: "Storefront" }).waitFor();
  const primary = page.getByLabel("Primary colour", { exact: true });
  await primary.waitFor();

  // The theme: colours typed and picked, a font, the corners.
  await primary.fill("#0f766e");
  await page.getByLabel("Accent colour picker").fill("#be185d");
  assert.equal(await page.getByLabel("Accent colour", { exact: true }).inputValue(), "#be185d");
  await page.getByLabel("Background colour", { exact: true }).fill("#fffbeb");
  await page.getByLabel("Text colour", { exact: true }).fill("#1c1917");
  await page.getByLabel("Serif").check();
  await page.getByLabel("Corner radius (px)").fill("12");
  await page.locator(".sketch").getByText("contrast", { exact: false }).waitFor();

  // The logo, dropped on its zone (a synthetic drop of a file), with its alternative text.
  const logo = png(96, 96, [254, 243, 199], [180, 83, 9]).toString("base64");
  await page.locator(".drop").first().evaluate((zone, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "logo.png", { type: "image/png" }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, logo);
  await page.waitForFunction(() => /\/media\/.+\.png$/.test(document.querySelector("#field-logo-url")?.value ?? ""));
  await page.getByLabel("Alternative text (what the logo says, for screen readers)").fill("Colmena Honey Co.");

  // A banner whose first file is refused by the API (not an image) beside its image field; then
  // an image chosen with the file input beside the drop zone, and a link that is not allowed:
  // refused beside its field, which gets the focus.
  await page.getByRole("button", { name: "Add a banner" }).click();
  const banner = page.getByRole("group", { name: "Banner 1" });
  await banner.locator("input[type=file]").setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
  await page.locator("#field-banners-0-imageUrl-error").filter({ hasText: /./ }).waitFor();
  await banner.locator("input[type=file]").setInputFiles({
    name: "spring.png", mimeType: "image/png", buffer: png(480, 160, [15, 118, 110], [254, 243, 199]),
  });
  await page.waitForFunction(() => /\/media\/.+\.png$/.test(document.querySelector("#field-banners-0-imageUrl")?.value ?? ""));
  await banner.getByLabel("Title").fill("Spring harvest");
  await banner.getByLabel("Text (optional)").fill("Wildflower honey, fresh from the hives.");
  await banner.getByLabel(/^Link/).fill("javascript:alert(1)");
  await banner.getByLabel("Show until (empty: no end)").fill("2030-06-01T12:00");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.locator("#field-banners-0-linkUrl-error", { hasText: "https://" }).waitFor();
  assert.equal(await banner.getByLabel(/^Link/).getAttribute("aria-invalid"), "true");
  await page.waitForFunction(() => document.activeElement?.id === "field-banners-0-linkUrl");
  await banner.getByLabel(/^Link/).fill("/collections/spring");

  // Banners move and go: a second one moved to the top keeps the keyboard focus, then is removed.
  await page.getByRole("button", { name: "Add a banner" }).click();
  await page.getByRole("group", { name: "Banner 2" }).getByLabel("Title").fill("Second");
  await page.getByRole("button", { name: "Move up, banner 2" }).click();
  await page.waitForFunction(() => document.querySelector("#field-banners-0-title")?.value === "Second");
  await page.waitForFunction(() => document.activeElement?.textContent === "Move down");
  await page.getByRole("button", { name: "Remove banner 1" }).click();
  await page.waitForFunction(() => document.querySelector("#field-banners-0-title")?.value === "Spring harvest");
  assert.equal(await page.getByRole("group", { name: /^Banner \d/ }).count(), 1);

  // The announcement bar, shown from a local time.
  const bar = page.getByRole("group", { name: "Announcement bar" });
  await bar.getByLabel("Text (empty: no announcement)").fill("Free shipping over 50 €");
  await bar.getByLabel(/^Link/).fill("/shipping");
  await bar.getByLabel("Show from (empty: now)").fill("2026-01-01T09:00");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.getByRole("status").filter({ hasText: /Draft saved .* by owner@demo\.test/ }).waitFor();

  // Preview: a token shown once, with the snippet for the merchant's own page; it opens the
  // draft while shoppers still see the store's default.
  await page.getByRole("button", { name: "Preview" }).click();
  const shown = page.getByRole("status").filter({ hasText: "Preview token" });
  await shown.waitFor();
  const token = await shown.locator("code").textContent();
  assert.match(token, /^sfp_/);
  const snippet = await page.locator(".snippet").textContent();
  assert.ok(snippet.includes(`<colmena-products store="demo" preview="${token}"></colmena-products>`), snippet);
  assert.equal((await publicStorefront(token)).theme.colors.primary, "#0f766e");
  assert.notEqual((await publicStorefront()).theme.colors.primary, "#0f766e");

  // Publish now: version 1 is live.
  // A row's text starts with its version number.
  const versionRow = (number) => page.locator(".versions tbody tr").filter({ hasText: new RegExp(`^${number}(?!\\d)`) });
  await page.getByRole("button", { name: "Publish now" }).click();
  await page.getByRole("status").filter({ hasText: "Version 1 is live." }).waitFor();
  await versionRow(1).filter({ hasText: "live" }).waitFor();
  assert.match(await versionRow(1).textContent(), /owner@demo\.test/);

  // Changed again and published straight away (publishing saves the draft first): version 2.
  await primary.fill("#1d4ed8");
  await page.getByRole("button", { name: "Publish now" }).click();
  await page.getByRole("status").filter({ hasText: "Version 2 is live." }).waitFor();
  await versionRow(1).filter({ hasText: "superseded" }).waitFor();
  assert.equal((await publicStorefront()).theme.colors.primary, "#1d4ed8");

  // Rolled back to version 1: version 3, a copy of it, is live.
  await page.getByRole("button", { name: "Roll back to version 1" }).click();
  await page.getByRole("status").filter({ hasText: "Version 3 is live." }).waitFor();
  await versionRow(3).filter({ hasText: "copy of 1" }).filter({ hasText: "live" }).waitFor();

  // Scheduled an hour ahead, then cancelled.
  await page.getByLabel("At a set time").check();
  await page.getByLabel(/^Date and time/).fill(await localInputIn(page, 1));
  await page.getByRole("button", { name: "Schedule" }).click();
  await page.getByRole("status").filter({ hasText: /Version 4 is scheduled for .*Europe\/Madrid/ }).waitFor();
  await versionRow(4).filter({ hasText: "scheduled" }).waitFor();
  await page.getByRole("button", { name: "Cancel version 4" }).click();
  await page.getByRole("status").filter({ hasText: "Version 4 is cancelled." }).waitFor();
  await versionRow(4).filter({ hasText: "cancelled" }).waitFor();

  // A refusal (409): version 5 is cancelled behind the console's back, then cancelled again here.
  await page.getByLabel(/^Date and time/).fill(await localInputIn(page, 2));
  await page.getByRole("button", { name: "Schedule" }).click();
  await versionRow(5).filter({ hasText: "scheduled" }).waitFor();
  const owner = await adminToken();
  const cancelled = await fetch(`${api.url}/api/v1/admin/stores/demo/storefront/versions/5`, {
    method: "DELETE", headers: { authorization: `Bearer ${owner}` },
  });
  assert.equal(cancelled.status, 200);
  await page.getByRole("button", { name: "Cancel version 5" }).click();
  await page.getByRole("alert").filter({ hasText: "Could not cancel version 5: version 5 is cancelled" }).waitFor();
  await versionRow(5).filter({ hasText: "cancelled" }).waitFor();

  // Shoppers get version 1's document, times in UTC (Madrid is UTC+1 in January, +2 in June).
  const live = await publicStorefront();
  assert.deepEqual(live.theme, {
    mode: "light", colors: { primary: "#0f766e", accent: "#be185d", background: "#fffbeb", text: "#1c1917" },
    font: "serif", radius: 12,
  });
  assert.equal(live.banners.length, 1);
  assert.equal(live.banners[0].title, "Spring harvest");
  assert.equal(live.banners[0].text, "Wildflower honey, fresh from the hives.");
  assert.equal(live.banners[0].linkUrl, "/collections/spring");
  assert.equal(live.banners[0].endsAt, "2030-06-01T10:00:00.000Z");
  assert.equal((await fetch(live.banners[0].imageUrl)).status, 200);
  assert.equal(live.logo.alt, "Colmena Honey Co.");
  assert.equal((await fetch(live.logo.url)).headers.get("content-type"), "image/png");
  assert.deepEqual(live.announcement, { text: "Free shipping over 50 €", linkUrl: "/shipping", startsAt: "2026-01-01T08:00:00.000Z" });

  await audit(page, "storefront");
  // From the top: the sketch sticks beside the editor as the page scrolls.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, "console-storefront-1440.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await audit(page, "storefront at 390 px");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, "console-storefront-390.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await page.evaluate(() => [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}`));
  assert.ok(overflow <= 0, `${overflow}px of horizontal overflow at 390 px: ${wide.join(", ")}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("storefront: an editor edits and previews the draft, and cannot publish", async () => {
  const owner = await adminToken();
  const invited = await fetch(`${api.url}/api/v1/admin/stores/demo/users`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${owner}` },
    body: JSON.stringify({ email: "sol@demo.test", role: "editor" }),
  });
  const token = (await invited.json()).data.invitationToken;
  const accepted = await fetch(`${api.url}/api/v1/auth/accept-invite`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password: "Editor passw0rd!" }),
  });
  assert.equal(accepted.status, 200);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${api.url}/admin`);
  await page.getByLabel("Store").fill("demo");
  await page.getByLabel("Email").fill("sol@demo.test");
  await page.getByLabel("Password").fill("Editor passw0rd!");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console" }).getByRole("button", { name: "Storefront" }).click();
  const bar = page.getByRole("group", { name: "Announcement bar" });
  await bar.getByLabel("Text (empty: no announcement)").fill("Editors write drafts");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.getByRole("status").filter({ hasText: /Draft saved .* by sol@demo\.test/ }).waitFor();
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("status").filter({ hasText: "Preview token" }).waitFor();
  await page.getByText("Owners and admins publish the draft").waitFor();
  await page.getByRole("heading", { name: "Version history" }).waitFor();
  for (const name of ["Publish now", "Schedule", /^Roll back/, /^Cancel version/]) {
    assert.equal(await page.getByRole("button", { name }).count(), 0, `no ${name} button for an editor`);
  }
  await audit(page, "storefront (editor)");
  await context.close();
});

test("the console fits a 390 px phone", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page);
  await page.locator(".cards .figure").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px of horizontal overflow`);
  await page.screenshot({ path: join(artifacts, "console-dashboard-390.png"), fullPage: true });
  await page.getByRole("button", { name: "Orders" }).click();
  await page.locator("table").waitFor();
  const ordersOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(ordersOverflow <= 0, `orders: ${ordersOverflow}px of horizontal overflow`);
  await page.screenshot({ path: join(artifacts, "console-orders-390.png"), fullPage: true });
  await context.close();
});

test("every page passes axe-core and is photographed at 1440 and 390 px", async () => {
  for (const width of [1440, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const names = await page.getByRole("navigation", { name: "Console" }).getByRole("button").allTextContents();
    assert.ok(names.length >= 9, names.join(", "));
    for (const name of names) {
      await page.getByRole("navigation", { name: "Console" }).getByRole("button", { name, exact: true }).click();
      await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
      await page.waitForLoadState("networkidle");
      await audit(page, `${name} at ${width} px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal overflow at ${width} px`);
      const slug = name.toLowerCase().replaceAll(" & ", "-and-").replaceAll(" ", "-");
      await page.screenshot({ path: join(artifacts, `console-${slug}-${width}.png`), fullPage: true });
    }
    await context.close();
  }
});

test("the owner edits a product: name, a price, a new variant, images and the digital file", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page);
  await openProduct(page, "Ventilated Jacket");

  // The name, saved with the details; the heading follows.
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Ventilated Jacket Pro");
  await page.getByRole("button", { name: "Save details" }).click();
  await page.getByRole("heading", { name: "Ventilated Jacket Pro", level: 1 }).waitFor();

  // A variant's price: a typo is refused beside the field before anything is sent; then saved.
  const small = page.getByRole("form", { name: "Variant S" });
  const price = small.getByRole("textbox", { name: "Price (EUR)", exact: true });
  assert.equal(await price.inputValue(), "64.90");
  await price.fill("59,9O");
  await small.getByRole("button", { name: "Save variant" }).click();
  await page.locator("#field-variants-0-price-error", { hasText: "enter a price such as 9.50" }).waitFor();
  await price.fill("59,90");
  await small.getByRole("button", { name: "Save variant" }).click();
  await small.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.equal(await price.inputValue(), "59.90");
  // The API's refusal of a variant's field (it names it variant.title) shows beside that card's field.
  const medium = page.getByRole("form", { name: "Variant M" });
  await medium.getByLabel("Title", { exact: true }).fill(" ");
  await medium.getByRole("button", { name: "Save variant" }).click();
  await page.locator("#field-variants-1-title-error", { hasText: "must not be empty" }).waitFor();
  await medium.getByLabel("Title", { exact: true }).fill("M");

  // A new variant with a new option value.
  await page.getByText("Add a variant").click();
  const added = page.getByRole("form", { name: "New variant" });
  await added.getByLabel("Size").fill("XXL");
  await added.getByRole("textbox", { name: "Price (EUR)", exact: true }).fill("69.90");
  await added.getByLabel("Units in stock").fill("3");
  await added.getByRole("button", { name: "Add variant" }).click();
  await page.getByRole("status").filter({ hasText: "Variant XXL added." }).waitFor();
  await page.getByRole("form", { name: "Variant XXL" }).waitFor();

  // An image dropped on the drop zone shows as a thumbnail; a GIF is refused before upload.
  const images = page.getByRole("region", { name: "Images" });
  const zone = images.locator(".drop-zone");
  await drop(zone, [{ name: "anim.gif", type: "image/gif", base64: Buffer.from("GIF89a").toString("base64") }]);
  await images.getByRole("alert").filter({ hasText: "anim.gif: only JPEG, PNG or WebP images can be uploaded here" }).waitFor();
  await drop(zone, [{ name: "jacket.png", type: "image/png", base64: honeyPng().toString("base64") }]);
  await images.getByRole("status").filter({ hasText: "Image uploaded." }).waitFor();
  const thumbnails = images.locator(".thumbs img");
  assert.equal(await thumbnails.count(), 2);
  await page.waitForFunction(() => {
    const last = [...document.querySelectorAll(".thumbs img")].at(-1);
    return last?.complete && last.naturalWidth === 48;
  });

  // The digital file, chosen with the file input (the keyboard's way in).
  await page.locator("#digital-file").setInputFiles({
    name: "jacket-care.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% care guide\n"),
  });
  await page.getByText("Buyers download jacket-care.pdf after paying.").waitFor();
  await page.getByRole("status").filter({ hasText: "File uploaded." }).waitFor();
  await audit(page, "product editor");
  await page.screenshot({ path: join(artifacts, "console-product-1440.png"), fullPage: true });

  const saved = await adminProduct("ventilated-jacket");
  assert.equal(saved.name, "Ventilated Jacket Pro");
  assert.equal(saved.variants[0].price.amount, 5990);
  assert.equal(saved.variants[1].title, "M");
  const xxl = saved.variants.find((variant) => variant.options.Size === "XXL");
  assert.deepEqual([xxl.price.amount, xxl.available, xxl.title], [6990, 3, "XXL"]);
  assert.equal(saved.images.length, 2);
  assert.equal(saved.digitalFileName, "jacket-care.pdf");
  assert.equal(saved.digital, true);

  // A product keeps at least one variant: the API's refusal shows in the card.
  await page.getByRole("button", { name: "← All products" }).click();
  await openProduct(page, "Hive Tool");
  await page.getByRole("button", { name: "Delete variant Default" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await page.getByRole("form", { name: "Variant Default" }).getByRole("alert")
    .filter({ hasText: "a product keeps at least one variant" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the owner builds the category tree: nested, renamed, moved, deleted", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await page.getByRole("button", { name: "Categories" }).click();
  await page.getByRole("heading", { name: "Categories", level: 1 }).waitFor();
  const tree = page.getByRole("list", { name: "Category tree" });
  await tree.getByText("Apiary Tools").waitFor();

  // A new category under Honey shows nested under it.
  await page.getByText("New category").click();
  const form = page.getByRole("form", { name: "New category" });
  await form.getByLabel("Name").fill("Raw honey");
  await form.getByLabel("Inside (parent category)").selectOption({ label: "Honey" });
  await form.getByRole("button", { name: "Create category" }).click();
  const honey = tree.locator(":scope > li", { has: page.locator(":scope > .node .node-name", { hasText: /^Honey$/ }) });
  await honey.locator(":scope > ul > li .node-name", { hasText: "Raw honey" }).waitFor();

  // Renamed, with a bad slug refused beside its field first.
  await page.getByRole("button", { name: "Edit Raw honey" }).click();
  const edit = page.getByRole("form", { name: "Edit the category" });
  await edit.getByLabel("Name").fill("Raw & comb honey");
  await edit.getByLabel("Slug").fill("Raw Honey!");
  await edit.getByRole("button", { name: "Save category" }).click();
  await page.locator("#field-edit-slug-error", { hasText: "lower-case letters" }).waitFor();
  await edit.getByLabel("Slug").fill("raw-comb-honey");
  await edit.getByRole("button", { name: "Save category" }).click();
  await honey.locator(":scope > ul > li .node-name", { hasText: "Raw & comb honey" }).waitFor();
  await audit(page, "categories");
  await page.screenshot({ path: join(artifacts, "console-categories-1440.png"), fullPage: true });

  // Moved under Beeswax & Candles, then to the top level; a category cannot go under itself.
  await page.getByRole("button", { name: "Edit Raw & comb honey" }).click();
  const inside = page.getByRole("form", { name: "Edit the category" }).getByLabel("Inside");
  const choices = await inside.locator("option").allTextContents();
  assert.ok(!choices.some((choice) => choice.includes("Raw & comb honey")), choices.join(", "));
  await inside.selectOption({ label: "Beeswax & Candles" });
  await page.getByRole("button", { name: "Save category" }).click();
  const wax = tree.locator(":scope > li", { has: page.locator(":scope > .node .node-name", { hasText: "Beeswax & Candles" }) });
  await wax.locator(":scope > ul > li .node-name", { hasText: "Raw & comb honey" }).waitFor();

  // Deleting Honey says what follows (its products lose it), then does it.
  await page.getByRole("button", { name: "Delete Honey", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "Delete Honey? Its products will have no category." }).waitFor();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await honey.waitFor({ state: "detached" });
  const categories = (await (await fetch(`${api.url}/api/v1/stores/demo/categories`)).json()).data;
  const raw = categories.find((c) => c.name === "Raw & comb honey");
  const beeswax = categories.find((c) => c.name === "Beeswax & Candles");
  assert.equal(raw.slug, "raw-comb-honey");
  assert.equal(raw.parentId, beeswax.id);
  assert.ok(!categories.some((c) => c.name === "Honey"));
  await context.close();
});

test("a product type's schema becomes the product's attribute form, checked by the API", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await page.getByRole("button", { name: "Product types" }).click();
  await page.getByRole("heading", { name: "Product types", level: 1 }).waitFor();
  await page.getByRole("button", { name: "New product type" }).click();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Honey jar");

  // A schema that is not JSON is refused beside it before anything is sent.
  const schema = page.getByLabel("Schema (JSON Schema of an object)");
  await schema.fill('{ "type": "object", ');
  await page.getByRole("button", { name: "Create product type" }).click();
  await page.locator("#field-schema-error", { hasText: "is not valid JSON" }).waitFor();
  assert.equal(await schema.getAttribute("aria-invalid"), "true");
  await schema.fill(JSON.stringify({
    type: "object",
    properties: {
      weightGrams: { type: "integer", title: "Weight (g)", minimum: 50, maximum: 5000 },
      flower: { type: "string", title: "Flower", enum: ["heather", "orange blossom", "rosemary"] },
      organic: { type: "boolean", title: "Organic" },
    },
    required: ["weightGrams"],
    additionalProperties: false,
  }, null, 2));
  // The preview is the product editor's form.
  await page.getByRole("group", { name: "Preview of the product form" }).getByLabel("Weight (g)").waitFor();
  await audit(page, "product type form");
  await page.getByRole("button", { name: "Create product type" }).click();
  const row = page.locator("tbody tr", { hasText: "Honey jar" });
  await row.waitFor();
  assert.match(await row.textContent(), /flower, organic, weightGrams/);
  await audit(page, "product types");
  // Opened again for editing: the saved schema, and its form's preview.
  await row.getByRole("button", { name: "Edit Honey jar" }).click();
  await page.getByRole("heading", { name: "Edit Honey jar" }).waitFor();
  assert.match(await schema.inputValue(), /"maximum": 5000/);
  await page.getByRole("group", { name: "Preview of the product form" }).getByLabel("Flower").waitFor();
  await page.screenshot({ path: join(artifacts, "console-product-types-1440.png"), fullPage: true });
  await page.getByRole("button", { name: "Cancel" }).click();

  // The product editor: the type's fields; the API's refusal (over the maximum) beside the field.
  await openProduct(page, "Heather Honey 250 g");
  await page.getByLabel("Product type").selectOption({ label: "Honey jar" });
  const weight = page.getByLabel("Weight (g)");
  await weight.waitFor();
  assert.equal(await weight.getAttribute("aria-required"), "true");
  await page.getByRole("button", { name: "Save details" }).click();
  await page.locator("#field-attributes-weightGrams-error", { hasText: "is required" }).waitFor();
  await weight.fill("9000");
  await page.getByLabel("Flower").selectOption({ label: "heather" });
  await page.getByLabel("Organic").check();
  await page.getByRole("button", { name: "Save details" }).click();
  await page.locator("#field-attributes-weightGrams-error", { hasText: "5000" }).waitFor();
  assert.equal(await weight.getAttribute("aria-invalid"), "true");
  await audit(page, "product attributes");
  await page.screenshot({ path: join(artifacts, "console-product-attributes-1440.png"), fullPage: true });
  await weight.fill("250");
  await page.getByRole("button", { name: "Save details" }).click();
  await page.getByRole("form", { name: "Details" }).getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const product = (await (await fetch(`${api.url}/api/v1/stores/demo/products/heather-honey-250-g`)).json()).data;
  assert.equal(product.productType, "honey-jar");
  assert.deepEqual(product.attributes, { weightGrams: 250, flower: "heather", organic: true });

  // A type in use is not deleted: the API says why.
  await page.getByRole("button", { name: "Product types" }).click();
  await page.getByRole("button", { name: "Delete Honey jar" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await page.getByRole("alert").filter({ hasText: "1 products use this type" }).waitFor();
  await context.close();
});

test("the catalog pages fit a 390 px phone", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page);
  await page.locator(".cards .figure").first().waitFor();
  await page.getByRole("button", { name: "Products", exact: true }).click();
  await page.locator("table.products").waitFor();
  assert.ok(await overflow(page) <= 0, `products: ${await overflow(page)}px of horizontal overflow`);
  await page.screenshot({ path: join(artifacts, "console-products-390.png"), fullPage: true });
  await openProduct(page, "Leather Gloves");
  assert.ok(await overflow(page) <= 0, `product: ${await overflow(page)}px of horizontal overflow`);
  await audit(page, "product editor at 390 px");
  await page.screenshot({ path: join(artifacts, "console-product-390.png"), fullPage: true });
  await page.getByRole("button", { name: "Categories" }).click();
  await page.getByRole("list", { name: "Category tree" }).waitFor();
  assert.ok(await overflow(page) <= 0, `categories: ${await overflow(page)}px of horizontal overflow`);
  await page.screenshot({ path: join(artifacts, "console-categories-390.png"), fullPage: true });
  await page.getByRole("button", { name: "Product types" }).click();
  await page.getByRole("button", { name: "New product type" }).click();
  await page.getByRole("group", { name: "Preview of the product form" }).waitFor();
  assert.ok(await overflow(page) <= 0, `product types: ${await overflow(page)}px of horizontal overflow`);
  await page.screenshot({ path: join(artifacts, "console-product-types-390.png"), fullPage: true });
  await context.close();
});

test("the owner translates a product and a category; shoppers asking for the language see them", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await openProduct(page, "Leather Gloves");
  const translations = page.getByRole("region", { name: "Translations" });
  await translations.getByLabel("Language", { exact: true }).fill("de");
  await translations.getByLabel("Name in that language").fill("Lederhandschuhe");
  await translations.getByLabel("Option \u201cSize\u201d in that language").fill("Größe");
  await translations.getByRole("button", { name: "Save translation" }).click();
  await translations.getByRole("status").filter({ hasText: "Saved the de translation." }).waitFor();
  await translations.getByRole("button", { name: "de", exact: true }).waitFor();
  // A malformed language is refused beside its field.
  await translations.getByLabel("Language", { exact: true }).fill("Deutsch");
  await translations.getByLabel("Name in that language").fill("Handschuhe");
  await translations.getByRole("button", { name: "Save translation" }).click();
  await page.locator("#field-translation-locale-error").filter({ hasText: /language tag/ }).waitFor();
  await audit(page, "product translations");
  await page.screenshot({ path: join(artifacts, "console-translations-1440.png"), fullPage: true });
  const german = await (await fetch(`${api.url}/api/v1/stores/demo/products/leather-gloves`, { headers: { "accept-language": "de-AT" } })).json();
  assert.deepEqual([german.data.name, german.data.options], ["Lederhandschuhe", ["Größe"]]);

  // A category's name, from its edit form in the tree.
  await page.getByRole("button", { name: "Categories", exact: true }).click();
  await page.getByRole("button", { name: "Edit Apiary Tools" }).click();
  const form = page.getByRole("form", { name: "Translations of Apiary Tools" });
  await form.getByLabel("Language", { exact: true }).fill("de");
  await form.getByLabel("Name in that language").fill("Imkereibedarf");
  await form.getByRole("button", { name: "Save translation" }).click();
  await form.getByRole("button", { name: "de", exact: true }).waitFor();
  const categories = await (await fetch(`${api.url}/api/v1/stores/demo/categories?locale=de`)).json();
  assert.ok(categories.data.some((c) => c.name === "Imkereibedarf"), JSON.stringify(categories.data));
  await context.close();
});

