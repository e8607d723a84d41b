// Payments that do not go through, and Stripe's hosted payment page, in headless Chromium: the
// widget sends the shopper to Stripe Checkout (a mock of Stripe's API and page here: no network
// reaches Stripe) with this page as the return URL, and shows the order when the shopper comes
// back; a cancelled or failed payment puts the order's lines back into the cart.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { startApi, startHostSite, launchChromium, hostPage } from "./harness.mjs";

const PLATFORM_KEY = "sk_test_platform_browser";
const WEBHOOK_SECRET = "whsec_browser_tests";
const ACCOUNT = "acct_1BrowserDemo";

let api, site, stripe, browser;
const pages = {};

/** A stand-in for Stripe's API: Checkout Sessions are created, answered as Stripe answers. */
async function startStripe(paymentPage) {
  const sessions = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/checkout/sessions") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "unknown" } }));
        return;
      }
      const form = new URLSearchParams(body);
      const id = `cs_test_${sessions.length + 1}`;
      sessions.push({ id, form, account: req.headers["stripe-account"], authorization: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
        id, object: "checkout.session", mode: "payment", payment_status: "unpaid", status: "open",
        url: `${paymentPage}?session=${id}`, payment_intent: null, livemode: false,
      }));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, sessions, close: () => server.close() };
}

/** Delivers a Stripe event to the API, signed as Stripe signs its webhooks. */
async function deliver(type, object) {
  const body = JSON.stringify({
    id: `evt_${Math.random().toString(16).slice(2)}`, object: "event", api_version: "2024-06-20",
    created: Math.floor(Date.now() / 1000), type, livemode: false, account: ACCOUNT, data: { object },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest("hex");
  const response = await fetch(`${api.url}/api/v1/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": `t=${timestamp},v1=${signature}` },
    body,
  });
  assert.equal(response.status, 200, await response.text());
}

async function apiJson(path, init = {}) {
  const response = await fetch(api.url + path, init);
  return { status: response.status, body: await response.json() };
}

async function owner(store) {
  const { body } = await apiJson("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store, email: `owner@${store}.test`, password: "demo-password" }),
  });
  return { authorization: `Bearer ${body.data.accessToken}`, "content-type": "application/json" };
}

before(async () => {
  site = await startHostSite(pages);
  stripe = await startStripe(`${site.origin}/stripe-checkout`);
  api = await startApi([site.origin], [
    "--rate-limit-public", "0",
    "--stripe-secret-key", PLATFORM_KEY,
    "--stripe-webhook-secret", WEBHOOK_SECRET,
    "--stripe-api-base", stripe.url,
  ]);
  // demo pays with Stripe (its Connect account); demo-b keeps the test provider.
  const settings = await apiJson("/api/v1/admin/stores/demo", {
    method: "PATCH",
    headers: await owner("demo"),
    body: JSON.stringify({ paymentProvider: "stripe", stripeAccountId: ACCOUNT }),
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const en = { cart: 'store="demo" locale="en"' };
  pages["/shop"] = hostPage(api.url, 'store="demo" limit="4" locale="en"', en);
  pages["/test-provider"] = hostPage(api.url, 'store="demo-b" limit="4" locale="en"', { cart: 'store="demo-b" locale="en"' });
  pages["/stripe-checkout"] = "<!doctype html><html lang=\"en\"><title>Stripe Checkout (mock)</title><h1>Pay with Stripe</h1></html>";
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  stripe?.close();
  site?.close();
});

async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__checkouts = [];
    document.addEventListener("colmena:checkout", (e) => window.__checkouts.push(e.detail));
  });
  await page.goto(site.origin + path);
  await page.locator("colmena-products .card").first().waitFor({ timeout: 15_000 });
  return { page, context };
}

const badge = (page) => page.locator("colmena-cart button.toggle").getAttribute("aria-label");

/** Adds the first two products with a quick-add button, opens the drawer and checks out. */
async function fillAndCheckOut(page) {
  const quickAdd = page.locator("colmena-products .card").getByRole("button", { name: /Add to cart/ });
  await quickAdd.nth(0).click();
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 1");
  await quickAdd.nth(1).click();
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 2");
  await page.locator("colmena-cart button.toggle").click();
  const drawer = page.locator("colmena-cart [role=dialog]");
  const lines = await drawer.locator(".line .line-name").allTextContents();
  // The checkout (its own bundle, loaded now) asks for the details, then places the order.
  await drawer.getByRole("button", { name: /Checkout/ }).click();
  await drawer.getByLabel("Email for the receipt").fill("ana@example.com");
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  return { drawer, lines };
}

test("test provider: a failed payment says so and puts the lines back; paying again works", async () => {
  const { page, context } = await open("/test-provider");
  const { drawer, lines } = await fillAndCheckOut(page);
  await drawer.getByRole("button", { name: "Cancel" }).click();
  await drawer.getByText("The payment did not go through. Nothing was charged.").waitFor();
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 2");
  assert.deepEqual(await drawer.locator(".line .line-name").allTextContents(), lines);
  const failed = await page.evaluate(() => window.__checkouts.at(-1));
  assert.equal(failed.status, "cancelled");
  // The restored cart checks out and pays.
  await drawer.getByRole("button", { name: /Checkout/ }).click();
  await drawer.getByLabel("Email for the receipt").fill("ana@example.com");
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  await drawer.getByRole("button", { name: /^Pay / }).click();
  await drawer.locator("[data-order-id]").waitFor();
  assert.equal(await badge(page), "Cart 0");
  assert.equal((await page.evaluate(() => window.__checkouts.at(-1))).status, "paid");
  await context.close();
});

test("Stripe: checkout goes to Stripe with this page as the return URL; back on it, the paid order is shown", async () => {
  const { page, context } = await open("/shop?campaign=winter");
  const before = stripe.sessions.length;
  await fillAndCheckOut(page);
  await page.waitForURL(/\/stripe-checkout\?session=/);
  const session = stripe.sessions[before];
  assert.equal(session.account, ACCOUNT);
  assert.equal(session.authorization, `Bearer ${PLATFORM_KEY}`);
  const orderId = session.form.get("client_reference_id");
  const success = new URL(session.form.get("success_url"));
  // Back to the page the shopper left, its own query kept.
  assert.equal(`${success.origin}${success.pathname}`, `${site.origin}/shop`);
  assert.equal(success.searchParams.get("campaign"), "winter");
  assert.equal(success.searchParams.get("colmena_order"), orderId);
  assert.equal(success.searchParams.get("colmena_payment"), "succeeded");

  // Stripe tells the server, then sends the shopper back.
  await deliver("checkout.session.completed", {
    id: session.id, object: "checkout.session", client_reference_id: orderId,
    metadata: { order_id: orderId }, payment_status: "paid", payment_intent: "pi_browser_1",
  });
  await page.goto(success.href);
  const drawer = page.locator("colmena-cart [role=dialog]");
  await drawer.locator(`[data-order-id="${orderId}"]`).waitFor({ timeout: 15_000 });
  assert.equal(await badge(page), "Cart 0");
  assert.deepEqual(await page.evaluate(() => window.__checkouts.map((c) => c.status)), ["paid"]);
  // Handled once: a reload of the same address shows nothing again.
  await page.reload();
  await page.locator("colmena-products .card").first().waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator("colmena-cart [role=dialog]").count(), 0);
  await context.close();
});

test("Stripe: a shopper who cancels on Stripe's page comes back to their cart", async () => {
  const { page, context } = await open("/shop");
  const before = stripe.sessions.length;
  const { lines } = await fillAndCheckOut(page);
  await page.waitForURL(/\/stripe-checkout\?session=/);
  const cancel = stripe.sessions[before].form.get("cancel_url");
  assert.match(cancel, /colmena_payment=cancelled/);
  await page.goto(cancel);
  const drawer = page.locator("colmena-cart [role=dialog]");
  await drawer.getByText("The payment did not go through. Nothing was charged.").waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector(".toggle").getAttribute("aria-label") === "Cart 2");
  assert.deepEqual(await drawer.locator(".line .line-name").allTextContents(), lines);
  await context.close();
});
