// The page a buyer's emailed access link opens (/orders#store=…&token=…), in headless Chromium
// against a live colmena-server: it exchanges the token, drops it from the address bar, lists the
// buyer's order with its download link, and a second visit of the same link is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApi, launchChromium } from "./harness.mjs";

let api, browser;

before(async () => {
  api = await startApi([], ["--mail-poll-ms", "50"]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

test("an access link opens the buyer's orders once", async () => {
  const base = `${api.url}/api/v1/stores/demo`;
  const post = async (path, body) => {
    const response = await fetch(`${base}${path}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const envelope = await response.json();
    assert.ok(response.ok, JSON.stringify(envelope));
    return envelope.data;
  };
  const guide = (await (await fetch(`${base}/products/beekeeping-field-guide-pdf`)).json()).data;
  const cart = await post("/carts", { items: [{ productId: guide.id, quantity: 1 }] });
  const session = await post("/checkout", { cartId: cart.id, email: "zoe@example.com" });
  await post(`/test-payments/${session.order.payment.reference}`, { outcome: "succeed" });
  await post("/customer/access-links", { email: "zoe@example.com" });
  // The message is an .eml file here; the harness adds its lines to the log.
  const mailed = await api.logLine(/\/orders#store=demo&token=/, 10_000);
  const link = mailed.match(/(http:\/\/\S+\/orders#store=demo&token=[\w-]+)/)[1];

  const page = await browser.newPage();
  await page.goto(link);
  await page.getByText("zoe@example.com: 1 order(s)").waitFor();
  assert.equal(page.url(), `${api.url}/orders`, "the token leaves the address bar");
  const download = await page.locator("article a").getAttribute("href");
  assert.ok(download.startsWith(`${api.url}/api/v1/downloads/`), download);
  assert.equal((await fetch(download)).status, 200);

  const again = await browser.newPage();
  await again.goto(link);
  await again.getByText("already used or has expired").waitFor();
});
