// A merchant's first day, end to end, on a fresh database in headless Chromium: the operator
// opens the store with `colmena-server stores create`; the owner follows the printed link to the
// console, chooses a password, creates a category and a product with two variants and an image,
// lets their site's origin in, and publishes a theme with a banner; their own page on another
// origin shows the product, the banner and the theme; a shopper buys with the test provider; the
// order appears in the console, and the owner marks it fulfilled and refunds it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, serverBinary, png, root } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
let dataDir, api, site, browser, pages;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "colmena-journey-"));
  pages = {};
  site = await startHostSite(pages);
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("from `stores create` to a refund, through the console and the merchant's own page", async () => {
  // The operator opens the store on the (empty) database; the owner gets a link.
  const output = execFileSync(serverBinary(), [
    "stores", "create", "--database-url", `sqlite://${dataDir}/colmena.db`,
    "--slug", "honey-co", "--name", "Honey Co.", "--currency", "EUR", "--locale", "en",
    "--owner-email", "ana@honey.test",
  ], { encoding: "utf8" });
  const token = output.match(/#accept-invite\?store=honey-co&token=([\w-]+)/)?.[1];
  assert.ok(token, output);
  api = await startApi([], ["--rate-limit-public", "0", "--rate-limit-login", "0"], { demo: false, dataDir });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const console_ = await context.newPage();
  const errors = [];
  console_.on("pageerror", (error) => errors.push(error.message));

  // The owner chooses a password from the link and lands in the console.
  await console_.goto(`${api.url}/admin/#accept-invite?store=honey-co&token=${token}`);
  await console_.getByLabel("New password").fill("Honey passw0rd!");
  await console_.getByLabel("Repeat the password").fill("Honey passw0rd!");
  await console_.getByRole("button", { name: "Set password and sign in" }).click();
  await console_.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  const nav = (name) => console_.getByRole("navigation", { name: "Console" }).getByRole("button", { name, exact: true }).click();

  // A category.
  await nav("Categories");
  await console_.getByText("New category").click();
  const newCategory = console_.getByRole("form", { name: "New category" });
  await newCategory.getByLabel("Name").fill("Honey");
  await newCategory.getByRole("button", { name: "Create category" }).click();
  await console_.getByRole("list", { name: "Category tree" }).locator(".node-name", { hasText: "Honey" }).waitFor();

  // A product with a Size option: its first variant at creation, its second in the editor,
  // its category and a photo.
  await nav("Products");
  await console_.getByText("New product").click();
  await console_.getByRole("textbox", { name: "Name", exact: true }).fill("Acacia Honey");
  await console_.getByLabel("Options").fill("Size");
  await console_.getByLabel("Size").fill("250 g");
  await console_.getByRole("textbox", { name: "Price (EUR)", exact: true }).fill("7,50");
  await console_.getByLabel("Units in stock").fill("10");
  await console_.getByRole("button", { name: "Create product" }).click();
  await console_.getByRole("status").filter({ hasText: "Created Acacia Honey." }).getByRole("button", { name: "Edit it" }).click();
  await console_.getByRole("heading", { name: "Acacia Honey", level: 1 }).waitFor();
  await console_.getByLabel("Category").selectOption({ label: "Honey" });
  await console_.getByRole("button", { name: "Save details" }).click();
  await console_.getByRole("status").filter({ hasText: /saved/i }).first().waitFor();
  await console_.getByText("Add a variant").click();
  const added = console_.getByRole("form", { name: "New variant" });
  await added.getByLabel("Size").fill("500 g");
  await added.getByRole("textbox", { name: "Price (EUR)", exact: true }).fill("12,50");
  await added.getByLabel("Units in stock").fill("5");
  await added.getByRole("button", { name: "Add variant" }).click();
  await console_.getByRole("form", { name: "Variant 500 g" }).waitFor();
  const images = console_.getByRole("region", { name: "Images" });
  await images.locator("input[type=file]").setInputFiles({ name: "acacia.png", mimeType: "image/png", buffer: png(64, 64, [234, 179, 8], [161, 98, 7]) });
  await images.getByRole("status").filter({ hasText: "Image uploaded." }).waitFor();

  // The merchant's site may call the API.
  await nav("Settings");
  await console_.getByLabel("Allowed storefront origins, one per line").fill(site.origin);
  await console_.getByRole("button", { name: "Save", exact: true }).click();
  await console_.getByRole("status").first().waitFor();

  // A theme and a banner, published.
  await nav("Storefront");
  await console_.getByLabel("Primary colour", { exact: true }).fill("#0f766e");
  await console_.getByRole("button", { name: "Add a banner" }).click();
  const banner = console_.getByRole("group", { name: "Banner 1" });
  await banner.getByLabel("Title").fill("Spring harvest");
  await banner.getByLabel(/^Link/).fill("/spring");
  await console_.getByRole("button", { name: "Publish now" }).click();
  await console_.getByRole("status").filter({ hasText: "Version 1 is live." }).waitFor();

  // The merchant's own page, on another origin.
  pages["/"] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Honey Co.</title>
<script type="module" src="${api.url}/widget/colmena.js"></script></head>
<body><header><h1>Honey Co.</h1><colmena-cart store="honey-co" api="${api.url}" locale="en"></colmena-cart></header>
<main><colmena-banners store="honey-co" api="${api.url}" locale="en"></colmena-banners>
<colmena-products store="honey-co" api="${api.url}" locale="en"></colmena-products>
<colmena-checkout-button store="honey-co" api="${api.url}" locale="en"></colmena-checkout-button></main></body></html>`;
  const shopper = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  shopper.on("pageerror", (error) => errors.push(error.message));
  await shopper.goto(`${site.origin}/`);
  const card = shopper.locator("colmena-products .card", { hasText: "Acacia Honey" });
  await card.waitFor({ timeout: 20_000 });
  await shopper.locator("colmena-banners").getByText("Spring harvest").waitFor();
  assert.ok(await card.locator("img").count(), "the product's photo");
  // The published theme's primary colour on the widget's primary buttons (theme.css arrives
  // after the first paint).
  await shopper.waitForFunction(() => {
    const button = document.querySelector("colmena-checkout-button")?.shadowRoot?.querySelector("button.primary");
    return button && getComputedStyle(button).backgroundColor === "rgb(15, 118, 110)";
  }, null, { timeout: 10_000 });
  await shopper.screenshot({ path: join(artifacts, "journey-merchant-page.png"), fullPage: true });

  // A shopper buys the larger jar and pays with the test provider.
  await card.locator(".name button").click();
  const dialog = shopper.locator("colmena-products [role=dialog]");
  await dialog.getByRole("radio", { name: "500 g", exact: true }).check();
  await dialog.getByRole("button", { name: "Add to cart" }).click();
  await dialog.getByText("Added to your cart.").waitFor();
  await shopper.keyboard.press("Escape");
  const cart = shopper.locator("colmena-cart");
  await cart.locator("button.toggle").click();
  const drawer = cart.locator("[role=dialog]");
  // The checkout (its own bundle, loaded now) asks for the details, then places the order.
  await drawer.getByRole("button", { name: /Checkout/ }).click();
  await drawer.getByLabel("Email for the receipt").fill("sam@example.com");
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  await drawer.getByRole("button", { name: /^Pay / }).click();
  await drawer.getByText("Thank you! Your order is confirmed.").waitFor();
  const orderId = await drawer.locator(".order-id").getAttribute("data-order-id");

  // The owner finds the paid order, fulfils it and refunds it.
  await nav("Orders");
  // The console names the order as the shop's confirmation does: "#1001".
  const label = (await drawer.locator(".order-id").textContent()).match(/#\d+/)[0];
  await console_.getByRole("button", { name: label }).click();
  await console_.getByRole("heading", { name: `Order ${label}` }).waitFor();
  await console_.getByRole("button", { name: "Mark fulfilled" }).click();
  await console_.locator(".history li", { hasText: "fulfilled by ana@honey.test (user)" }).waitFor();
  await console_.getByRole("button", { name: "Refund", exact: true }).click();
  await console_.locator(".history li", { hasText: "refunded by ana@honey.test (user)" }).waitFor();
  await console_.screenshot({ path: join(artifacts, "journey-refunded-order.png"), fullPage: true });
  const session = JSON.parse(await console_.evaluate(() => sessionStorage.getItem("colmena-console-session")));
  const order = await (await fetch(`${api.url}/api/v1/admin/stores/honey-co/orders/${orderId}`, {
    headers: { authorization: `Bearer ${session.tokens.accessToken}` },
  })).json();
  assert.equal(order.data.status, "refunded");
  assert.equal(order.data.total.amount, 1250);
  assert.deepEqual(errors, []);
  await context.close();
});
