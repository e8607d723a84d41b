// The store's storefront in the widget, in headless Chromium against a live server: the
// published theme (theme.css) on the elements, <colmena-banners> with the banners and the
// announcement, a draft that only a preview token shows (in the page's markup or set later), a
// refused token, a strict Content-Security-Policy, 390 px, and an axe-core audit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, root } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const ADMIN = "/api/v1/admin/stores/demo/storefront";
// The widget's own brand colour (widget.css), the published theme's and the draft's.
const DEFAULT_BRAND = "rgb(180, 83, 9)";
const PUBLISHED_BRAND = "rgb(15, 118, 110)";
const DRAFT_BRAND = "rgb(124, 58, 237)";
let api, site, browser, pages, owner, token, image;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  pages = {};
  site = await startHostSite(pages);
  api = await startApi([site.origin], ["--rate-limit-public", "0"]);
  browser = await launchChromium();
  // A banner image the server serves: a product's (read before signing in: the public API
  // refuses a user's token).
  image = (await call("GET", "/api/v1/stores/demo/products?limit=1")).data[0].images[0].url;
  owner = await ownerToken();
});

after(async () => {
  await browser?.close();
  api?.stop();
  site?.close();
});

async function call(method, path, body, headers = {}) {
  const response = await fetch(api.url + path, {
    method,
    headers: { "content-type": "application/json", ...(owner ? { authorization: `Bearer ${owner}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function ownerToken() {
  const response = await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  return (await response.json()).data.accessToken;
}

/** A storefront document: `primary` tells versions apart, `title` names its one banner. */
function storefront({ primary, title, announcement, mode = "light", background = "#fffbeb", text = "#1c1917" }) {
  return {
    theme: { mode, colors: { primary, accent: "#f59e0b", background, text }, font: "serif", radius: 4 },
    banners: [{
      id: crypto.randomUUID(), title, text: "Raw, unfiltered.\nFrom our own hives.",
      imageUrl: image, linkUrl: "/collections/honey",
    }, {
      // Without an image or a link: a heading and nothing else.
      id: crypto.randomUUID(), title: `${title} (no link)`,
    }],
    announcement: { text: announcement, linkUrl: "https://shop.example/shipping" },
  };
}

/** A host page on another origin with the catalog, a checkout button and the banners. */
function page(attributes = "", { bannersFirst = true } = {}) {
  const banners = `<colmena-banners store="demo" api="${api.url}" locale="en"${attributes}></colmena-banners>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop site</title>
<script type="module" src="${api.url}/widget/colmena.js"></script></head>
<body>${bannersFirst ? banners : ""}
<header><h1>Our shop</h1><colmena-checkout-button store="demo" api="${api.url}" locale="en"${attributes}></colmena-checkout-button></header>
<main><colmena-products store="demo" api="${api.url}" limit="4" controls="false" locale="en"${attributes}></colmena-products></main>
</body></html>`;
}

async function open(path, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e.message));
  await tab.addInitScript(() => {
    window.__errors = [];
    document.addEventListener("colmena:error", (e) => window.__errors.push({ tag: e.target.localName, name: e.detail?.name, code: e.detail?.code }));
  });
  await tab.goto(site.origin + path);
  return { tab, context, errors };
}

/** The background of the checkout button (a `.primary` button: the brand colour). */
const brandOf = (tab) => tab.evaluate(() => {
  const button = document.querySelector("colmena-checkout-button").shadowRoot.querySelector("button.primary");
  return getComputedStyle(button).backgroundColor;
});

/** Waits until the checkout button is drawn in `colour`. */
async function waitForBrand(tab, colour) {
  await tab.locator("colmena-checkout-button button.primary").waitFor({ timeout: 15_000 });
  await tab.waitForFunction((want) => {
    const button = document.querySelector("colmena-checkout-button").shadowRoot.querySelector("button.primary");
    return getComputedStyle(button).backgroundColor === want;
  }, colour, { timeout: 10_000 }).catch(() => {});
  return brandOf(tab);
}

test("a store that never published keeps the widget's look and its branding colours", async () => {
  pages["/never"] = page();
  const { tab, errors } = await open("/never");
  assert.equal(await waitForBrand(tab, DEFAULT_BRAND), DEFAULT_BRAND);
  // No banners, no announcement: the element takes no room.
  await tab.locator("colmena-products .card").first().waitFor({ timeout: 15_000 });
  assert.equal(await tab.evaluate(() => document.querySelector("colmena-banners").getBoundingClientRect().height), 0);
  assert.deepEqual(errors, []);
  await tab.context().close();
});

test("the published theme and banners show; the draft only with its preview token", async () => {
  await call("PUT", `${ADMIN}/draft`, storefront({ primary: "#0f766e", title: "Spring honey", announcement: "Free shipping over 50 €" }));
  await call("POST", `${ADMIN}/publish`, {});
  await call("PUT", `${ADMIN}/draft`, storefront({ primary: "#7c3aed", title: "Summer preview", announcement: "Draft announcement" }));
  token = (await call("POST", `${ADMIN}/preview-token`, {})).data.token;

  // Without the token: the published version only.
  pages["/published"] = page();
  const published = await open("/published");
  const banners = published.tab.locator("colmena-banners");
  const region = banners.getByRole("region", { name: "Promotions" });
  await region.waitFor({ timeout: 15_000 });
  assert.equal(await waitForBrand(published.tab, PUBLISHED_BRAND), PUBLISHED_BRAND);
  const title = banners.getByRole("link", { name: "Spring honey", exact: true });
  assert.equal(await title.getAttribute("href"), "/collections/honey");
  assert.equal(await banners.getByRole("heading", { name: "Spring honey (no link)" }).count(), 1);
  assert.equal(await banners.locator(".text").first().textContent(), "Raw, unfiltered.\nFrom our own hives.");
  assert.equal(await banners.locator("img.image").first().getAttribute("alt"), "");
  const announcement = banners.getByRole("link", { name: "Free shipping over 50 €" });
  assert.equal(await announcement.getAttribute("href"), "https://shop.example/shipping");
  assert.equal(await published.tab.getByText("Summer preview").count(), 0);
  assert.equal(await published.tab.getByText("Draft announcement").count(), 0);
  // The theme's font and radius reach the catalog too; the page's own properties still win.
  const card = await published.tab.evaluate(() => {
    const host = document.querySelector("colmena-products");
    const style = getComputedStyle(host.shadowRoot.querySelector(".card"));
    return { font: getComputedStyle(host).fontFamily, radius: style.borderTopLeftRadius };
  });
  assert.match(card.font, /^Charter/);
  assert.equal(card.radius, "4px");
  const own = await published.tab.addStyleTag({ content: "colmena-checkout-button { --colmena-brand: rgb(1, 2, 3); }" });
  assert.equal(await brandOf(published.tab), "rgb(1, 2, 3)");
  await own.evaluate((style) => style.remove());
  await published.tab.screenshot({ path: join(artifacts, "banners-published.png"), fullPage: true });

  // The merchant previews on their own page: the same markup with `preview`.
  pages["/preview"] = page(` preview="${token}"`);
  const preview = await open("/preview");
  await preview.tab.locator("colmena-banners").getByRole("link", { name: "Summer preview", exact: true }).waitFor({ timeout: 15_000 });
  assert.equal(await waitForBrand(preview.tab, DRAFT_BRAND), DRAFT_BRAND);
  assert.equal(await preview.tab.getByText("Draft announcement").count(), 1);
  assert.equal(await preview.tab.getByText("Spring honey", { exact: true }).count(), 0);
  assert.deepEqual(preview.errors, []);

  // Or sets the token later, without a reload: the elements turn to the draft.
  await published.tab.evaluate((sfp) => {
    for (const element of document.querySelectorAll("colmena-banners, colmena-checkout-button")) element.setAttribute("preview", sfp);
  }, token);
  await published.tab.locator("colmena-banners").getByRole("link", { name: "Summer preview", exact: true }).waitFor({ timeout: 15_000 });
  assert.equal(await waitForBrand(published.tab, DRAFT_BRAND), DRAFT_BRAND);
  assert.deepEqual(published.errors, []);
  await published.context.close();
  await preview.context.close();
});

test("a refused preview token shows its reason, never the published storefront", async () => {
  pages["/wrong-token"] = page(' preview="sfp_not-a-token"');
  const { tab } = await open("/wrong-token");
  const error = tab.locator("colmena-banners .error");
  await error.waitFor({ timeout: 15_000 });
  assert.equal(await error.getAttribute("role"), "alert");
  assert.match(await error.textContent(), /^Colmena widget: preview token refused: unknown preview token/);
  // The theme stays the widget's own, not the published one.
  await tab.locator("colmena-products .card").first().waitFor({ timeout: 15_000 });
  assert.equal(await waitForBrand(tab, DEFAULT_BRAND), DEFAULT_BRAND);
  assert.equal(await tab.getByText("Spring honey", { exact: true }).count(), 0);
  const errors = await tab.evaluate(() => window.__errors);
  assert.deepEqual(errors.filter((e) => e.tag === "colmena-banners"), [{ tag: "colmena-banners", name: "UnauthorizedError", code: "UNAUTHORIZED" }]);
  await tab.context().close();
});

test("under a strict Content-Security-Policy, at 390 px, accessible", async () => {
  pages["/csp"] = {
    html: page(),
    headers: {
      "content-security-policy": `default-src 'none'; script-src ${api.url} 'wasm-unsafe-eval'; ` +
        `connect-src ${api.url}; img-src ${api.url}; style-src 'self'; base-uri 'none'; form-action 'none'`,
    },
  };
  const strict = await open("/csp");
  await strict.tab.locator("colmena-banners .banner").first().waitFor({ timeout: 15_000 });
  assert.equal(await waitForBrand(strict.tab, PUBLISHED_BRAND), PUBLISHED_BRAND);
  assert.deepEqual(strict.errors, []);
  await strict.context.close();

  const narrow = await open("/published", { width: 390, height: 844 });
  const banner = narrow.tab.locator("colmena-banners .banner").first();
  await banner.waitFor({ timeout: 15_000 });
  await narrow.tab.waitForFunction(() => document.querySelector("colmena-banners").shadowRoot.querySelector("img").complete);
  const layout = await narrow.tab.evaluate(() => {
    const list = document.querySelector("colmena-banners").shadowRoot.querySelector(".banners");
    const items = [...list.children].map((item) => item.getBoundingClientRect());
    return { scroll: document.documentElement.scrollWidth, width: innerWidth, lefts: items.map((r) => Math.round(r.left)), right: Math.max(...items.map((r) => r.right)) };
  });
  assert.ok(layout.scroll <= layout.width, `no sideways scroll: ${JSON.stringify(layout)}`);
  assert.equal(new Set(layout.lefts).size, 1, "one banner per row");
  assert.ok(layout.right <= layout.width);
  await narrow.tab.screenshot({ path: join(artifacts, "banners-390.png"), fullPage: true });

  await narrow.tab.addScriptTag({ path: axePath });
  const violations = await narrow.tab.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
  await narrow.context.close();
});

test("a dark theme darkens every element; the element's own theme attribute still works", async () => {
  await call("PUT", `${ADMIN}/draft`, storefront({
    primary: "#0f766e", title: "Night market", announcement: "Open late", mode: "dark", background: "#0b1120", text: "#f8fafc",
  }));
  const preview = (await call("POST", `${ADMIN}/preview-token`, {})).data.token;
  pages["/dark"] = page(` preview="${preview}"`);
  const { tab } = await open("/dark");
  await tab.locator("colmena-banners .banner").first().waitFor({ timeout: 15_000 });
  await tab.locator("colmena-products .card").first().waitFor({ timeout: 15_000 });
  const colours = await tab.evaluate(() => {
    const host = document.querySelector("colmena-products");
    return { text: getComputedStyle(host).color, card: getComputedStyle(host.shadowRoot.querySelector(".card")).backgroundColor };
  });
  assert.equal(colours.text, "rgb(248, 250, 252)");
  assert.notEqual(colours.card, "rgb(255, 255, 255)");
  await tab.screenshot({ path: join(artifacts, "banners-dark.png"), fullPage: true });
  await tab.context().close();

  // A light store: `theme="dark"` on one element gives it the widget's dark palette.
  pages["/dark-attribute"] = page().replace('<colmena-products store="demo"', '<colmena-products theme="dark" store="demo"');
  const attribute = await open("/dark-attribute");
  await attribute.tab.locator("colmena-products .card").first().waitFor({ timeout: 15_000 });
  await attribute.tab.waitForFunction(() =>
    getComputedStyle(document.querySelector("colmena-products")).color === "rgb(243, 244, 246)", null, { timeout: 10_000 });
  await attribute.context.close();
});
