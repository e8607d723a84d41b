// The React wrapper (@colmena/react, widget/react) in headless Chromium: examples/react-shop,
// bundled by esbuild, served from another origin than the API. React's context must show the
// very cart the custom elements keep, whichever side changes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startApi, startFileSite, launchChromium, root } from "./harness.mjs";

const example = join(root, "examples/react-shop");
const dist = join(example, "dist");
let api, site, browser;

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const newest = (path) =>
  statSync(path).isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : mtime(path);

function npm(...args) {
  try {
    execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd: example, stdio: "pipe" });
  } catch (e) {
    throw new Error(`npm ${args.join(" ")} in examples/react-shop failed:\n${e.stdout}${e.stderr}`);
  }
}

/** npm ci when node_modules is missing or older than the lock file; a build when dist is stale. */
function ensureBuilt() {
  const installed = join(example, "node_modules/.package-lock.json");
  if (!existsSync(installed) || mtime(join(example, "package-lock.json")) > mtime(installed)) npm("ci");
  const sources = ["index.html", "build.mjs", "package.json", "src"].map((p) => join(example, p));
  sources.push(join(root, "widget/react/index.js"));
  const built = Math.min(mtime(join(dist, "app.js")), mtime(join(dist, "index.html")));
  if (Math.max(...sources.map(newest)) > built) npm("run", "build");
}

before(async () => {
  ensureBuilt();
  // The app's page at /files/ (its script, ./app.js, is then /files/app.js).
  site = await startFileSite(dist, { "/files/": readFileSync(join(dist, "index.html"), "utf8") });
  api = await startApi([site.origin], ["--rate-limit-public", "0"]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

/** The shop in a fresh context (own storage), once its grid shows: its cards and page errors. */
async function shop(setUp = async () => {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await setUp(context);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${site.origin}/files/?api=${encodeURIComponent(api.url)}&locale=en`);
  const cards = page.locator("colmena-products .card");
  await cards.first().waitFor({ timeout: 15_000 });
  return { context, page, cards, errors };
}

/** Waits until React's count (from useCommerce().cart) and the <colmena-cart> badge both read n. */
async function counts(page, n) {
  await page.waitForFunction(
    (n) =>
      document.querySelector("#cart-count")?.textContent === String(n) &&
      document.querySelector("colmena-cart")?.shadowRoot?.querySelector(".toggle")?.getAttribute("aria-label") === `Cart ${n}`,
    n,
    { timeout: 10_000 },
  );
}

test("React: ProductList cards, the cart in context, onProductClick, and the actions on the elements' cart", async () => {
  const { context, page, cards, errors } = await shop();
  const shown = await cards.count();
  assert.ok(shown >= 1, "at least one product card");
  // `products` and `loading` from the context.
  await page.locator("#status", { hasText: `${shown} products shown` }).waitFor();
  assert.equal(await page.locator("#cart-count").textContent(), "0");

  // Add to cart inside the element: React's count follows; onProductClick saw the card.
  const card = cards.filter({ has: page.locator("button.add") }).first();
  const slug = await card.getAttribute("data-product-slug");
  const productId = await card.getAttribute("data-product-id");
  await card.locator("button.add").click();
  await counts(page, 1);
  assert.equal(await page.locator("#looked").textContent(), `; you looked at ${slug}`);

  // A click on another card's name: onProductClick with that product's slug.
  const other = cards.nth(1);
  const otherSlug = await other.getAttribute("data-product-slug");
  await other.locator(".name button").click();
  await page.locator("#looked", { hasText: otherSlug }).waitFor();
  await page.keyboard.press("Escape");

  // React's actions change the same cart: the element's badge shows them.
  const line = page.locator(`.summary li[data-product-id="${productId}"]`);
  await line.getByRole("button", { name: "One more" }).click();
  await counts(page, 2);
  assert.match(await line.textContent(), /^2 × /);
  await line.getByRole("button", { name: "Remove" }).click();
  await counts(page, 0);
  assert.equal(await page.locator(".summary li").count(), 0);

  // The cart outlives a reload: the context starts from the widget's saved cart.
  await card.locator("button.add").click();
  await counts(page, 1);
  await page.reload();
  await counts(page, 1);

  // checkout(): opens the elements' drawer; resolves with the order's id.
  await page.getByRole("button", { name: "Check out" }).click();
  const drawer = page.locator("colmena-cart [role=dialog], colmena-checkout-button [role=dialog]");
  await drawer.waitFor();
  // The checkout (its own bundle, loaded now) asks for the details, then places the order.
  await drawer.getByRole("button", { name: /Checkout/ }).click();
  await drawer.getByLabel("Email for the receipt").fill("react@example.com");
  await drawer.getByRole("button", { name: /^Place order/ }).click();
  await page.locator("#order").waitFor({ timeout: 10_000 });
  const orderId = (await page.locator("#order").textContent()).match(/Order (\S+) created/)[1];
  await drawer.getByRole("button", { name: /^Pay / }).click();
  await drawer.getByText("Thank you! Your order is confirmed.").waitFor();
  assert.equal(await drawer.locator(".order-id").getAttribute("data-order-id"), orderId);
  await counts(page, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("React with a widget that has no cart API: counts from the events, actions refuse, checkout clicks", async () => {
  // The loader as widgets built before cart(store, api) exported it (same module underneath).
  const { context, page, cards, errors } = await shop((context) =>
    context.route(`${api.url}/widget/colmena.js`, (route) =>
      route.fulfill({
        contentType: "text/javascript",
        headers: { "access-control-allow-origin": "*" },
        body: 'export { ready, ColmenaWidget } from "./colmena.js?full";',
      })));
  await cards.filter({ has: page.locator("button.add") }).first().locator("button.add").click();
  await counts(page, 1);
  const first = await cards.first().getAttribute("data-product-slug");
  await page.getByRole("button", { name: `Add ${first}` }).click();
  await page.getByRole("alert").filter({ hasText: "needs widget cart API" }).waitFor();
  await counts(page, 1);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.locator("colmena-checkout-button [role=dialog], colmena-cart [role=dialog]").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
