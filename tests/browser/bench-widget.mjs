// Benchmark: the widget's gzipped transfer size, and the time from navigation start to the
// product grid painted, in headless Chromium on loopback, against a ceiling: the same 20
// products as plain server-rendered HTML. Prints figures and the targets; asserts nothing.
//   node bench-widget.mjs [runs]      (scripts/bench-widget.sh builds what it needs first)
// With BENCH_COMPARE_DIST=<dir of another widget build> (e.g. an older commit's widget/dist),
// that build is timed in the same runs too, served by a second server: a fair before/after on
// a machine whose speed varies.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, hostPage, root } from "./harness.mjs";

const runs = Number(process.argv[2] ?? 15);
const PRODUCTS = 20;

// --- Size: every file the browser fetches from widget/dist (the glue imports snippets/…). The
// build writes a zopfli-gzipped copy beside each (`.gz`), which the server sends to browsers that
// accept gzip: that is the transfer. gzip -9 is listed too, for comparison with earlier figures.
/** Each file under `dir` (not the `.gz` copies) with its raw, gzip -9 and served sizes. */
const sizes = (dir) => readdirSync(dir, { recursive: true })
  .filter((file) => !file.endsWith(".gz") && statSync(join(dir, file)).isFile())
  .sort()
  .map((file) => {
    const bytes = readFileSync(join(dir, file));
    const gz = gzipSync(bytes, { level: 9 }).length;
    const copy = join(dir, `${file}.gz`);
    return { file, raw: bytes.length, gz, served: existsSync(copy) ? statSync(copy).size : gz };
  });
const sum = (files, key) => files.reduce((total, file) => total + file[key], 0);
// <colmena-banners>' bundle is fetched only by pages that show one, the checkout's when a shopper
// starts a checkout, the search's when a shopper first searches or opens the filters, the chat's
// when a shopper first opens <colmena-chat>: none is part of the first load.
const bannersBundle = (file) => file.startsWith("colmena_banners");
const checkoutBundle = (file) => file.startsWith("colmena_checkout");
const searchBundle = (file) => file.startsWith("colmena_search");
const chatBundle = (file) => file.startsWith("colmena_chat");
const onDemand = (file) => bannersBundle(file) || checkoutBundle(file) || searchBundle(file) || chatBundle(file);
const allFiles = sizes(join(root, "widget/dist"));
const files = allFiles.filter((f) => !onDemand(f.file));
const bannerFiles = allFiles.filter((f) => bannersBundle(f.file));
const checkoutFiles = allFiles.filter((f) => checkoutBundle(f.file));
const searchFiles = allFiles.filter((f) => searchBundle(f.file));
const chatFiles = allFiles.filter((f) => chatBundle(f.file));
const width = Math.max(...allFiles.map((f) => f.file.length)) + 2;
const column = (value) => String(value).padStart(8);
/** Prints a group of files and its total; returns the total served. */
const listing = (title, group, total) => {
  console.log(`${title} (bytes raw / gzip -9 / served gzipped):`);
  for (const { file, raw, gz, served } of group) {
    console.log(`  ${file.padEnd(width)} ${column(raw)} ${column(gz)} ${column(served)}`);
  }
  const served = sum(group, "served");
  console.log(`  ${total.padEnd(width)} ${column(sum(group, "raw"))} ${column(sum(group, "gz"))} ${column(served)}` +
    `  (${(served / 1024).toFixed(1)} KiB served)`);
  return served;
};
const servedTotal = listing("widget files, first load", files, "total");
listing("<colmena-banners>, fetched on first use", bannerFiles, "banners");
listing("the checkout, fetched when a shopper first starts one", checkoutFiles, "checkout");
listing("search and its filters, fetched when a shopper first searches or opens them", searchFiles, "search");
listing("<colmena-chat>'s conversation, fetched when a shopper first opens the chat", chatFiles, "chat");
// No stylesheet in the listing: the CSS is compiled into the wasm (include_str! of widget.css).
const srcDir = join(root, "widget/src");
const embeddedIn = readdirSync(srcDir)
  .filter((f) => f.endsWith(".rs") && /include_str!\(\s*(?:concat!\(env!\("OUT_DIR"\),\s*)?"[^"]*widget\.css"/.test(readFileSync(join(srcDir, f), "utf8")));
console.log(embeddedIn.length
  ? `  CSS: widget/src/widget.css is embedded in the wasm (include_str! in ${embeddedIn.map((f) => `widget/src/${f}`).join(", ")}), so no separate file`
  : "  CSS: no include_str! of widget.css found in widget/src: check that the listing above holds the styles");

// --- The pages: the widget on a third-party host page, and the same products as plain HTML.
const pages = {};
const site = await startHostSite(pages);
// Many page loads from one client: the public rate limit would otherwise stop the runs.
const api = await startApi([site.origin], ["--rate-limit-public", "0"]);
const grid = `store="demo" layout="grid" limit="${PRODUCTS}"`;
pages["/widget"] = hostPage(api.url, grid);
pages["/plain"] = await plainPage(api.url, "demo");
const compareDist = process.env.BENCH_COMPARE_DIST;
const compareApi = compareDist
  ? await startApi([site.origin], ["--rate-limit-public", "0"], { widgetDir: compareDist })
  : null;
if (compareApi) pages["/compare"] = hostPage(compareApi.url, grid);

/** The store's first products as static HTML, as a server-rendered shop page would send them. */
async function plainPage(apiUrl, store) {
  const get = async (path) => {
    const response = await fetch(`${apiUrl}/api/v1/stores/${store}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()).data;
  };
  const [profile, products] = await Promise.all([get(""), get(`/products?limit=${PRODUCTS}`)]);
  if (products.length !== PRODUCTS) throw new Error(`expected ${PRODUCTS} products, the API gave ${products.length}`);
  // As the widget does: the store's locale and currency, minor units over 10^digits.
  const format = new Intl.NumberFormat(profile.locale, { style: "currency", currency: profile.currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  const price = (money) => format.format(money.amount / 10 ** digits);
  const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const cards = products.map((p) => {
    const image = p.images[0];
    return `<article class="card">${image
      ? `<img src="${escape(image.url)}" alt="${escape(image.alt)}" loading="lazy" decoding="async" width="400" height="300">`
      : ""}<h3>${escape(p.name)}</h3><p class="price">${escape(price(p.price))}</p></article>`;
  }).join("\n");
  return `<!doctype html>
<html lang="${escape(profile.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop site</title>
<style>
body { font-family: system-ui, sans-serif; margin: 16px; color: #1f2937; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 16px; }
.card { background: #fff; border-radius: 12px; overflow: hidden; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
.card img { display: block; width: 100%; height: auto; aspect-ratio: 4 / 3; object-fit: cover; background: #fbbf24; }
.card h3 { font-size: 1rem; margin: 12px 12px 4px; }
.price { margin: 0 12px 12px; font-weight: 700; color: #b45309; }
</style></head>
<body><header><h1>Our shop</h1></header>
<main class="grid">
${cards}
</main>
</body></html>`;
}

/**
 * Loads `path` in a fresh context (nothing cached, like a first visit) and returns the time from
 * navigation start to two animation frames after `event` reaches the document, when the grid
 * has been painted; checks that `cards` matches PRODUCTS elements.
 */
async function measure(browser, path, event, cards) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript((name) => {
      document.addEventListener(name, () => {
        requestAnimationFrame(() => requestAnimationFrame(() => { window.__gridPainted = performance.now(); }));
      }, { once: true });
    }, event);
    // What crosses the wire for the widget's files: compressed bodies, as the server sent them.
    const widgetResponses = [];
    page.on("requestfinished", (request) => {
      if (new URL(request.url()).pathname.startsWith("/widget/")) widgetResponses.push(request.sizes());
    });
    await page.goto(site.origin + path);
    await page.waitForFunction(() => window.__gridPainted !== undefined, null, { timeout: 20_000 });
    const count = await page.locator(cards).count();
    if (count !== PRODUCTS) throw new Error(`${path}: expected ${PRODUCTS} cards, saw ${count}`);
    const widgetBytes = (await Promise.all(widgetResponses))
      .reduce((total, sizes) => total + sizes.responseBodySize, 0);
    return { ms: await page.evaluate(() => window.__gridPainted), widgetBytes };
  } finally {
    await context.close();
  }
}

const widgetSubject = (name, path) =>
  ({ name, path, event: "colmena:products-loaded", cards: "colmena-products .card", samples: [] });
const subjects = [
  { name: "plain HTML", path: "/plain", event: "DOMContentLoaded", cards: "main > .card", samples: [] },
  widgetSubject("widget", "/widget"),
];
if (compareApi) subjects.push(widgetSubject("compared", "/compare"));
const browser = await launchChromium();
try {
  // Alternating, so that both see the same machine; the first round warms the server and the
  // OS caches and is not counted.
  for (let i = 0; i < runs + 1; i++) {
    for (const subject of subjects) {
      const { ms, widgetBytes } = await measure(browser, subject.path, subject.event, subject.cards);
      if (i > 0) subject.samples.push(ms);
      subject.widgetBytes = widgetBytes;
    }
  }
} finally {
  await browser.close();
  api.stop();
  compareApi?.stop();
  site.close();
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), min: sorted[0], p90: at(0.9), max: sorted.at(-1) };
};
console.log(`navigation start -> grid of ${PRODUCTS} products painted, ${runs} cold-cache runs each (alternating):`);
for (const subject of subjects) {
  const s = (subject.stats = stats(subject.samples));
  console.log(`  ${subject.name.padEnd(11)} median ${s.median.toFixed(1)} ms, min ${s.min.toFixed(1)} ms, ` +
    `p90 ${s.p90.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
}
const [plain, widget, compared] = subjects.map((s) => s.stats);
const ratio = widget.median / plain.median;
console.log(`  widget median / plain median: ${ratio.toFixed(2)}x`);
console.log(`  widget files as Chromium received them (encoded bodies, last run): ${subjects[1].widgetBytes} bytes`);
if (compared) {
  console.log(`  compared build (${compareDist}): ${sum(sizes(compareDist).filter((f) => !onDemand(f.file)), "served")} bytes served, ` +
    `${subjects[2].widgetBytes} received; widget median / its median: ${(widget.median / compared.median).toFixed(2)}x`);
}

const verdict = (ok) => (ok ? "met" : "NOT met");
console.log("targets:");
// 100 KB counted as docs/figures.md counts it: 100 KiB.
console.log(`  size    <= 100 KiB gzipped (102400 bytes): ${servedTotal} bytes, ${verdict(servedTotal <= 100 * 1024)}`);
console.log(`  time    <= 150 ms (widget median): ${widget.median.toFixed(1)} ms, ${verdict(widget.median <= 150)}`);
console.log(`  ceiling <= 2x plain HTML (median ratio): ${ratio.toFixed(2)}x, ${verdict(ratio <= 2)}`);
