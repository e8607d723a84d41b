// The console's Conversations page in headless Chromium, against a live colmena-server of its
// own: a buyer asks the web chat for a person; the conversation shows under "Waiting for a
// person" with its count; staff open it, reply (the reply is in the thread, and in the admin
// API's), see an empty reply refused beside the box, and hand it back to the assistant. The
// analytics count the conversation and its messages, and "Export events (CSV)" downloads the
// events through the admin API. A conversation that ended with a paid order links to the order.
// WhatsApp is connected from the Channels part: the API's refusal shows beside the missing
// secret, the webhook URL is shown (and copied), secrets show as "set" and never reach the DOM.
// An editor reads conversations but neither replies nor sees analytics or channels. axe-core
// finds no serious or critical violation; screenshots at 1440 and 390 px land in
// tests/browser/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  startApi, launchChromium, root, signInToConsole, adminAccessToken, assertAccessible, assertFitsWidth,
} from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
let api, browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  api = await startApi([], ["--rate-limit-login", "0", "--rate-limit-public", "0"]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

/** A new web chat session: 64 random hexadecimal characters. */
const newSession = () => randomBytes(32).toString("hex");

/** A buyer's message in the demo store's web chat; the assistant's answer. */
async function buyerSays(session, text) {
  const response = await fetch(`${api.url}/api/v1/stores/demo/chat/messages`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ session, text, locale: "en" }),
  });
  const envelope = await response.json();
  assert.ok(response.ok, JSON.stringify(envelope));
  return envelope.data;
}

/** `path` of the demo store's admin API, as the owner. */
async function adminGet(path) {
  const token = await adminAccessToken(api);
  const response = await fetch(`${api.url}/api/v1/admin/stores/demo${path}`, { headers: { authorization: `Bearer ${token}` } });
  const envelope = await response.json();
  assert.equal(response.status, 200, JSON.stringify(envelope));
  return envelope.data;
}

/** Goes to the Conversations page, and to its `part` (Inbox, Analytics or Channels). */
async function openConversations(page, part = "Inbox") {
  await page.getByRole("navigation", { name: "Console" }).getByRole("button", { name: "Conversations", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Conversations" }).waitFor();
  const parts = page.getByRole("group", { name: "Part of the page" });
  await parts.getByRole("button", { name: part, exact: true }).click();
  await parts.locator(`button[aria-pressed=true]`, { hasText: part }).waitFor();
}

/** Photographs the page at 390 px (checking that nothing overflows), then goes back to 1440. */
async function atPhoneWidth(page, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  await assertFitsWidth(page, `${name} at 390 px`);
  await page.evaluate(() => { for (const table of document.querySelectorAll("table")) table.scrollLeft = 0; window.scrollTo(0, 0); });
  await page.screenshot({ path: join(artifacts, `console-${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("staff answer a buyer waiting for a person, hand back, read the analytics and export the events", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signInToConsole(page, api);

  // A buyer in the web chat asks for a person.
  const asked = await buyerSays(newSession(), "talk to a person");
  const id = asked.conversationId;
  assert.equal((await adminGet(`/conversations/${id}`)).conversation.status, "waiting_human");

  await openConversations(page);
  const filters = page.getByRole("group", { name: "Show" });
  const waiting = filters.getByRole("button", { name: /^Waiting for a person/ });
  await waiting.locator(".count", { hasText: /^1$/ }).waitFor();
  await waiting.click();
  const row = page.locator("table.conversation-list tbody tr");
  await row.filter({ hasText: "Waiting for a person" }).waitFor();
  assert.equal(await row.count(), 1);
  const rowText = await row.textContent();
  assert.match(rowText, /^Web chatEnglishWeb chatWaiting for a person.+\d{4}-\d\d-\d\d \d\d:\d\d$/);
  await assertAccessible(page, "inbox");
  await page.screenshot({ path: join(artifacts, "console-conversations-inbox-1440.png"), fullPage: true });
  await atPhoneWidth(page, "conversations-inbox");

  // The thread: the buyer's message and the assistant's answer, as bubbles with their times.
  await row.getByRole("button", { name: "Web chat" }).click();
  const thread = page.getByRole("region", { name: "Web chat" });
  await thread.waitFor();
  const messages = thread.getByRole("list", { name: "Messages" });
  await messages.locator(".bubble.buyer", { hasText: "talk to a person" }).waitFor();
  assert.ok(await messages.locator(".bubble.assistant").count() >= 1);
  assert.match(await messages.locator(".bubble.buyer time").first().textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d$/);

  // An empty reply: the API's refusal beside the box.
  const reply = thread.getByLabel("Reply as the store");
  await thread.getByRole("button", { name: "Send reply" }).click();
  await page.locator("#field-text-error").filter({ hasText: /\S/ }).waitFor();
  assert.equal(await reply.getAttribute("aria-invalid"), "true");

  // Marta answers; her reply is in the thread, and in the admin API's.
  await reply.fill("Hi, this is Marta");
  await thread.getByRole("button", { name: "Send reply" }).click();
  await messages.locator(".bubble.staff", { hasText: "Hi, this is Marta" }).waitFor();
  assert.equal(await reply.inputValue(), "");
  assert.equal(await page.locator("#field-text-error").textContent(), "");
  const last = (await adminGet(`/conversations/${id}`)).messages.at(-1);
  assert.deepEqual([last.author, last.body], ["staff", "Hi, this is Marta"]);
  await assertAccessible(page, "thread");
  await page.screenshot({ path: join(artifacts, "console-conversation-thread-1440.png"), fullPage: true });
  await atPhoneWidth(page, "conversation-thread");

  // Handed back to the assistant: open again, the button gone.
  await thread.getByRole("button", { name: "Hand back to the assistant" }).click();
  await thread.locator(".thread-facts .status", { hasText: "Open" }).waitFor();
  assert.equal(await thread.getByRole("button", { name: "Hand back to the assistant" }).count(), 0);
  assert.equal((await adminGet(`/conversations/${id}`)).conversation.status, "open");
  await thread.getByRole("button", { name: "← All conversations" }).click();
  await filters.getByRole("button", { name: "Open", exact: true }).click();
  await row.filter({ hasText: "Open" }).waitFor();
  assert.equal(await waiting.locator(".count").textContent(), "");

  // The analytics of the last 30 days: this one conversation, its messages, all understood.
  await openConversations(page, "Analytics");
  const figure = (label) => page.locator(".cards article", { has: page.getByRole("heading", { name: label, exact: true }) }).locator(".figure");
  await figure("Conversations").waitFor();
  assert.equal(await figure("Conversations").textContent(), "1");
  assert.equal(await figure("With an order").textContent(), "0");
  assert.equal(await figure("Conversion rate").textContent(), "0 %");
  assert.equal(await figure("Messages received").textContent(), "1");
  const sent = Number(await figure("Messages sent").textContent());
  assert.ok(sent >= 2, `messages sent: ${sent}`);
  assert.equal(await figure("Messages understood").textContent(), "100 %");
  const intents = page.locator(".success-tables > div", { hasText: "Understood per intent" }).locator("tbody tr");
  assert.deepEqual(await intents.allTextContents(), ["Help or a person10100 %"]);
  const languages = page.locator(".success-tables > div", { hasText: "Understood per language" }).locator("tbody tr");
  assert.deepEqual(await languages.allTextContents(), ["English10100 %"]);
  // Its period is the last 30 days, to today.
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(await page.getByLabel("To", { exact: true }).inputValue(), today);

  // The events as CSV, fetched with the console's token and downloaded as a file.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export events (CSV)" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "demo-conversation-events.csv");
  const csv = readFileSync(await download.path(), "utf8");
  const lines = csv.trimEnd().split("\n");
  assert.equal(lines[0], "id,created_at,conversation_id,type,channel,intent,language,payload");
  assert.ok(lines.slice(1).every((line) => line.includes(id)), csv);
  assert.ok(lines.some((line) => line.includes(",conversation_started,web,")), csv);
  await page.getByRole("status").filter({ hasText: `Downloaded demo-conversation-events.csv: ${lines.length - 1} events.` }).waitFor();
  await assertAccessible(page, "analytics");
  await page.screenshot({ path: join(artifacts, "console-conversation-analytics-1440.png"), fullPage: true });
  await atPhoneWidth(page, "conversation-analytics");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a conversation that ended with a paid order links to the order", async () => {
  // The buyer fills a cart by chat and pays it (the test provider).
  const session = newSession();
  const added = await buyerSays(session, "add 1 wildflower honey");
  assert.ok(added.cartId, JSON.stringify(added));
  const post = async (path, body) => {
    const response = await fetch(`${api.url}/api/v1/stores/demo${path}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const envelope = await response.json();
    assert.ok(response.ok, JSON.stringify(envelope));
    return envelope.data;
  };
  const checkout = await post("/checkout", { cartId: added.cartId, email: "awa@example.com" });
  await post(`/test-payments/${checkout.order.payment.reference}`, { outcome: "succeed" });
  const ended = await adminGet(`/conversations/${added.conversationId}`);
  assert.equal(ended.conversation.status, "closed");
  assert.equal(ended.conversation.orderId, checkout.order.id);

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signInToConsole(page, api);
  await openConversations(page);
  await page.getByRole("group", { name: "Show" }).getByRole("button", { name: "Closed", exact: true }).click();
  const row = page.locator("table.conversation-list tbody tr", { hasText: "Closed" });
  await row.waitFor();
  await row.getByRole("button", { name: "Web chat" }).click();
  const thread = page.getByRole("region", { name: "Web chat" });
  const number = `#${checkout.order.number}`;
  const link = thread.getByRole("button", { name: `Open order ${number}` });
  await link.waitFor();
  // Closed: no reply can be sent, and it cannot be handed back or closed again.
  assert.ok(await thread.getByLabel("Reply as the store").isDisabled());
  assert.ok(await thread.getByRole("button", { name: "Send reply" }).isDisabled());
  await thread.getByText("This conversation is closed: the buyer's next message starts a new one.").waitFor();
  assert.equal(await thread.getByRole("button", { name: "Close conversation" }).count(), 0);
  await assertAccessible(page, "closed thread");
  await page.screenshot({ path: join(artifacts, "console-conversation-closed-1440.png"), fullPage: true });
  await link.click();
  await page.getByRole("heading", { level: 1, name: `Order ${number}` }).waitFor();
  assert.match(await page.locator("main").textContent(), /awa@example\.com/);
  await context.close();
});

test("the owner connects WhatsApp: refusals beside the fields, the webhook URL, secrets only 'set'", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: api.url });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signInToConsole(page, api);
  await openConversations(page, "Channels");
  const whatsapp = page.getByRole("form", { name: "WhatsApp (Meta Cloud API)" });
  await whatsapp.getByText("Not connected.").waitFor();
  for (const secret of ["verifyToken", "appSecret", "accessToken"]) {
    assert.equal(await page.locator(`#field-${secret}-state`).textContent(), "not set");
  }
  await assertAccessible(page, "channels");
  await page.screenshot({ path: join(artifacts, "console-conversation-channels-1440.png"), fullPage: true });

  // A phone number id alone: the API asks for the verify token, beside its field.
  await whatsapp.getByLabel("Phone number id").fill("106540352242922");
  await whatsapp.getByLabel("Display number").fill("+1 555 010 0000");
  await whatsapp.getByRole("button", { name: "Connect WhatsApp" }).click();
  await page.locator("#field-verifyToken-error", { hasText: "is required to connect the channel" }).waitFor();
  assert.equal(await whatsapp.getByLabel("Verify token").getAttribute("aria-invalid"), "true");

  const secrets = {
    "Verify token": "verify-me-please-0042",
    "App secret": "0123456789abcdef0123456789abcdef",
    "Access token": "EAAGtestAccessToken0123456789",
  };
  for (const [label, value] of Object.entries(secrets)) await whatsapp.getByLabel(label).fill(value);
  assert.equal(await whatsapp.getByLabel("App secret").getAttribute("type"), "password");
  await whatsapp.getByRole("button", { name: "Connect WhatsApp" }).click();
  await whatsapp.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const url = whatsapp.locator(".webhook-url code");
  assert.equal(await url.textContent(), `${api.url}/api/v1/chat/whatsapp/webhook`);
  for (const secret of ["verifyToken", "appSecret", "accessToken"]) {
    assert.equal(await page.locator(`#field-${secret}-state`).textContent(), "set");
  }
  assert.equal(await whatsapp.getByLabel("Display number").inputValue(), "+15550100000");
  assert.equal(await page.locator("#field-verifyToken-error").textContent(), "");
  // The secrets are nowhere in the page: not in its markup, not in any field.
  const html = await page.content();
  const values = await page.locator("input, textarea").evaluateAll((fields) => fields.map((f) => f.value).join("\n"));
  for (const value of Object.values(secrets)) {
    assert.ok(!html.includes(value), `${value} in the page's markup`);
    assert.ok(!values.includes(value), `${value} in a field`);
  }
  // And they stay write-only in the API.
  const stored = (await adminGet("/chat/channels")).whatsapp;
  assert.deepEqual([stored.verifyTokenSet, stored.appSecretSet, stored.accessTokenSet], [true, true, true]);
  assert.ok(!JSON.stringify(stored).includes(secrets["App secret"]));

  // The webhook URL, copied.
  await whatsapp.getByRole("button", { name: "Copy the URL" }).click();
  await whatsapp.getByRole("status").filter({ hasText: "Copied." }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${api.url}/api/v1/chat/whatsapp/webhook`);

  // Twilio: a malformed account SID is refused beside its field.
  const twilio = page.getByRole("form", { name: "WhatsApp on Twilio" });
  await twilio.getByLabel("Account SID").fill("AC-not-a-sid");
  await twilio.getByLabel("WhatsApp sender").fill("+14155238886");
  await twilio.getByRole("button", { name: "Connect Twilio" }).click();
  await page.locator("#field-accountSid-error", { hasText: "must be a Twilio account SID" }).waitFor();
  await assertAccessible(page, "channels saved and refused");
  await page.screenshot({ path: join(artifacts, "console-conversation-channels-saved-1440.png"), fullPage: true });
  await atPhoneWidth(page, "conversation-channels");

  // A reload shows the stored channel, its secrets still only "set". The inbox opens first and
  // starts loading; its answer (held back here) arrives after Channels replaced it: dropped,
  // nothing breaks.
  const late = /\/conversations\?/;
  let held = 0, released = 0;
  await page.route(late, async (route) => {
    held += 1;
    await new Promise((ok) => setTimeout(ok, 500));
    await route.continue();
    released += 1;
  });
  await page.reload();
  await openConversations(page, "Channels");
  await whatsapp.getByText("Connected.").waitFor();
  assert.equal(await whatsapp.getByLabel("Phone number id").inputValue(), "106540352242922");
  assert.equal(await whatsapp.getByLabel("App secret").inputValue(), "");
  assert.equal(await page.locator("#field-appSecret-state").textContent(), "set");
  // Both of the inbox's calls (its page, then the waiting count) were answered, late.
  while (released < 2 || released < held) await page.waitForTimeout(50);
  await page.waitForTimeout(300);
  await page.unroute(late);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an editor reads conversations, without replies, analytics or channels", async () => {
  const owner = await adminAccessToken(api);
  const invited = await fetch(`${api.url}/api/v1/admin/stores/demo/users`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${owner}` },
    body: JSON.stringify({ email: "eva@demo.test", role: "editor" }),
  });
  const token = (await invited.json()).data.invitationToken;
  const accepted = await fetch(`${api.url}/api/v1/auth/accept-invite`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password: "Editor passw0rd!" }),
  });
  assert.equal(accepted.status, 200);
  await buyerSays(newSession(), "talk to a person");

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signInToConsole(page, api, { email: "eva@demo.test", password: "Editor passw0rd!", firstPage: "Orders" });
  await page.getByRole("navigation", { name: "Console" }).getByRole("button", { name: "Conversations", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Conversations" }).waitFor();
  assert.equal(await page.getByRole("group", { name: "Part of the page" }).count(), 0);
  const row = page.locator("table.conversation-list tbody tr", { hasText: "Waiting for a person" }).first();
  await row.getByRole("button", { name: "Web chat" }).click();
  const thread = page.getByRole("region", { name: "Web chat" });
  await thread.locator(".bubble.buyer", { hasText: "talk to a person" }).first().waitFor();
  assert.equal(await thread.getByRole("form", { name: "Reply" }).count(), 0);
  assert.equal(await thread.getByRole("button", { name: "Hand back to the assistant" }).count(), 0);
  await context.close();
});
