// <colmena-chat> in headless Chromium, on a third-party page (another origin than the API): a
// shopper chats to a paid order. "add 2 wildflower honey" puts two jars in the page's cart (the
// cart's count and the drawer follow), "add a jacket" asks which size and "L" answers it,
// "remove the jacket" takes it out again, "pay" offers "Pay", which opens the widget's own
// checkout in the cart's drawer with the same cart; the test payment, and the confirmation
// names the order. The chat bundle is fetched only when the chat is first opened; the chat is
// usable by keyboard, announces replies, keeps the conversation from page to page, speaks the
// element's language (Spanish), and axe-core finds no serious violation in it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, root } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let api, site, browser, owner;

/** A shop page with the cart, the products and the chat, in `locale`. */
const shopPage = (locale) => `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop site</title>
<script type="module" src="${api.url}/widget/colmena.js"></script></head>
<body><header><h1>Our shop</h1><colmena-cart store="demo" api="${api.url}" locale="${locale}"></colmena-cart></header>
<main><colmena-products store="demo" api="${api.url}" locale="${locale}" layout="grid" limit="6"></colmena-products></main>
<colmena-chat store="demo" api="${api.url}" locale="${locale}"></colmena-chat>
</body></html>`;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  const pages = {};
  site = await startHostSite(pages);
  api = await startApi([site.origin], ["--rate-limit-public", "0"]);
  pages["/"] = shopPage("en");
  pages["/es"] = shopPage("es");
  const login = await (await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  })).json();
  owner = login.data.accessToken;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

/** Opens `path` in a fresh context; collects page errors, requests and chat replies. */
async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const requested = [];
  page.on("request", (request) => requested.push(new URL(request.url()).pathname));
  await page.addInitScript(() => {
    window.__replies = [];
    document.addEventListener("colmena:chat-reply", (e) => window.__replies.push(e.detail));
  });
  await page.goto(site.origin + path);
  await page.locator("colmena-products .card").first().waitFor({ timeout: 20_000 });
  return { context, page, errors, requested };
}

/** Sends `words` in the chat and waits for its reply (the `n`th); returns the reply's text. */
async function say(page, words, n) {
  const chat = page.locator("colmena-chat");
  const box = chat.getByRole("textbox");
  await box.fill(words);
  await box.press("Enter");
  await page.waitForFunction((count) => window.__replies.length >= count, n, { timeout: 15_000 });
  return (await chat.locator(".bubble.assistant").last().textContent()).trim();
}

/** The count on the page's cart button. */
const cartCount = (page) => page.locator("colmena-cart button.toggle").getAttribute("aria-label");

test("a shopper chats to a paid order on a third-party page, with the page's own cart and checkout", async () => {
  const { context, page, errors, requested } = await open("/");
  const chat = page.locator("colmena-chat");
  const launcher = chat.getByRole("button", { name: "Chat with us" });
  await launcher.waitFor();
  // Nothing of the conversation is fetched until the shopper opens the chat.
  assert.ok(!requested.some((p) => p.includes("colmena_chat")), requested.join(" "));
  assert.equal(await launcher.getAttribute("aria-expanded"), "false");

  // By keyboard: the launcher opens the chat, whose message box takes the focus.
  await launcher.focus();
  await page.keyboard.press("Enter");
  const dialog = chat.getByRole("dialog", { name: "Chat with us" });
  await dialog.getByRole("heading", { name: /^Chat with / }).waitFor();
  assert.ok(requested.some((p) => p.endsWith("/colmena_chat_bg.wasm")), "the chat bundle is fetched on first use");
  assert.equal(await launcher.getAttribute("aria-expanded"), "true");
  const box = dialog.getByRole("textbox", { name: "Your message" });
  await page.waitForFunction(() => document.querySelector("colmena-chat").shadowRoot.activeElement?.classList.contains("chat-input"));
  assert.equal(await dialog.getByRole("log").getAttribute("aria-live"), "polite");
  // The store greets first.
  assert.match(await dialog.locator(".bubble.assistant").first().textContent(), /put it in your cart/);
  // Escape closes it and gives the focus back to the launcher; the conversation stays.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await page.waitForFunction(() => document.querySelector("colmena-chat").shadowRoot.activeElement?.classList.contains("launcher"));
  await launcher.click();
  await box.waitFor();

  // Two jars: the reply names them, and the page's cart has them.
  let reply = await say(page, "add 2 wildflower honey", 1);
  assert.match(reply, /2 × Wildflower Honey 500 g/);
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector("button.toggle").getAttribute("aria-label") === "Cart 2");
  // The conversation and the page share one server cart.
  const [first] = await page.evaluate(() => window.__replies);
  const saved = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith("colmena:cart:"))[1]));
  assert.equal(saved.cartId, first.cartId);
  assert.equal(first.interpretation.intent, "add_to_cart");

  // A jacket: which size? The answers are buttons too; the shopper types "L".
  reply = await say(page, "add a jacket", 2);
  assert.match(reply, /Ventilated Jacket — Which size\?/);
  assert.deepEqual(await dialog.locator("button.choice").allTextContents(), ["S", "M", "L", "XL"]);
  reply = await say(page, "L", 3);
  assert.match(reply, /1 × Ventilated Jacket/);
  assert.equal(await dialog.locator("button.choice").count(), 0, "the question's answers go with the next message");
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector("button.toggle").getAttribute("aria-label") === "Cart 3");
  // The drawer shows what the chat put in the cart.
  await page.locator("colmena-cart button.toggle").click();
  const drawer = page.locator("colmena-cart [role=dialog]");
  await drawer.locator(".line", { hasText: "Ventilated Jacket" }).locator(".variant", { hasText: "L" }).waitFor();
  await drawer.getByRole("button", { name: "Close" }).click();

  reply = await say(page, "remove the jacket", 4);
  assert.match(reply, /Taken out of your cart: 1 × Ventilated Jacket/);
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector("button.toggle").getAttribute("aria-label") === "Cart 2");

  // Pay: a "Pay" button, which opens the widget's own checkout in the cart's drawer.
  reply = await say(page, "pay", 5);
  assert.match(reply, /Total: €19\.00/);
  const pay = dialog.getByRole("button", { name: "Pay", exact: true });
  await pay.waitFor();
  const replies = await page.evaluate(() => window.__replies);
  assert.ok(replies[4].checkoutUrl.includes(`/shop/demo/checkout?lang=en#cart=${first.cartId}`), replies[4].checkoutUrl);
  assert.ok(replies.every((r) => r.cartId === first.cartId), "one cart throughout");
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector("colmena-chat"), { resultTypes: ["violations"] });
    return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
  await page.screenshot({ path: join(artifacts, "chat-pay-1280.png") });
  const url = page.url();
  await pay.click();
  await drawer.getByLabel("Email for the receipt").fill("chat@example.com");
  assert.equal(page.url(), url, "the checkout opens in place");
  await dialog.waitFor({ state: "detached" });
  const total = await drawer.locator("dl.breakdown .row.total dd").textContent();
  assert.match(total, /19[.,]00/);
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  await drawer.getByRole("button", { name: `Pay ${total}` }).click();
  await drawer.getByText("Thank you! Your order is confirmed.").waitFor();
  const orderId = await drawer.locator("[data-order-id]").getAttribute("data-order-id");
  const placed = (await (await fetch(`${api.url}/api/v1/admin/stores/demo/orders/${orderId}`, {
    headers: { authorization: `Bearer ${owner}` },
  })).json()).data;
  assert.equal(await drawer.locator(".order-id").textContent(), `Order #${placed.number}`);
  assert.equal(placed.status, "paid");
  assert.deepEqual(placed.items.map((item) => [item.productName, item.quantity]), [["Wildflower Honey 500 g", 2]]);
  await page.screenshot({ path: join(artifacts, "chat-paid-1280.png") });
  await drawer.getByRole("button", { name: "Continue shopping" }).click();
  assert.equal(await cartCount(page), "Cart 0");
  assert.deepEqual(errors, []);
  await context.close();
});

test("in Spanish: the chat's own words, replies in Spanish, and the conversation kept from page to page", async () => {
  const { context, page, errors } = await open("/es");
  const chat = page.locator("colmena-chat");
  await chat.getByRole("button", { name: "Chatea con nosotros" }).click();
  const dialog = chat.getByRole("dialog", { name: "Chatea con nosotros" });
  await dialog.getByRole("heading", { name: /^Chatea con / }).waitFor();
  assert.ok(await dialog.getByRole("button", { name: "Enviar" }).isVisible());
  assert.equal(await dialog.getByRole("textbox").getAttribute("aria-label"), "Tu mensaje");
  assert.match(await dialog.locator(".bubble.assistant").first().textContent(), /^Tienda: ¡Hola!/);
  const reply = await say(page, "añade 2 miel de milflores", 1);
  assert.match(reply, /Añadido a tu carrito: 2 × Miel de milflores 500 g/);
  await page.waitForFunction(() => document.querySelector("colmena-cart").shadowRoot.querySelector("button.toggle").getAttribute("aria-label") === "Carrito 2");
  await page.screenshot({ path: join(artifacts, "chat-es-1280.png") });

  // The next page: the conversation is still there, and goes on with the same cart.
  await page.reload();
  await chat.getByRole("button", { name: "Chatea con nosotros" }).click();
  await dialog.locator(".bubble.buyer", { hasText: "añade 2 miel de milflores" }).waitFor();
  await page.evaluate(() => { window.__replies = []; });
  const view = await say(page, "¿qué hay en mi carrito?", 1);
  assert.match(view, /Tu carrito:\n• 2 × Miel de milflores 500 g/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a person from the store answers in the chat", async () => {
  const { context, page, errors } = await open("/");
  const chat = page.locator("colmena-chat");
  await chat.getByRole("button", { name: "Chat with us" }).click();
  const dialog = chat.getByRole("dialog", { name: "Chat with us" });
  await say(page, "I want to talk to a person", 1);
  const [asked] = await page.evaluate(() => window.__replies);
  assert.equal(asked.interpretation.humanRequested, true);
  // The staff answer from the console; the chat shows it while they have the conversation.
  const answer = await fetch(`${api.url}/api/v1/admin/stores/demo/conversations/${asked.conversationId}/replies`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "Hello, Marta here. How can I help?" }),
  });
  assert.equal(answer.status, 201, await answer.text());
  const staff = dialog.locator(".bubble.staff", { hasText: "Hello, Marta here." });
  await staff.waitFor({ timeout: 15_000 });
  assert.equal((await staff.textContent()).trim(), "Shop team: Hello, Marta here. How can I help?");
  // The next page shows the whole conversation, the staff's reply included, once.
  await page.reload();
  await chat.getByRole("button", { name: "Chat with us" }).click();
  await dialog.locator(".bubble.buyer", { hasText: "I want to talk to a person" }).waitFor();
  await staff.waitFor();
  assert.equal(await dialog.locator(".bubble.staff").count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone the chat fills the screen", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${site.origin}/`);
  const chat = page.locator("colmena-chat");
  await chat.getByRole("button", { name: "Chat with us" }).click();
  const dialog = chat.getByRole("dialog");
  await dialog.getByRole("textbox").waitFor();
  const box = await dialog.boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 390, 844]);
  await page.screenshot({ path: join(artifacts, "chat-390.png") });
  await context.close();
});
