// Benchmark: the widget's gzipped transfer size, and the time from navigation start to the
// product grid painted, in headless Chromium on loopback. Prints figures; asserts nothing.
//   node bench-widget.mjs [runs]      (scripts/bench-widget.sh builds what it needs first)
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { startApi, startHostSite, launchChromium, hostPage, root } from "./harness.mjs";

const runs = Number(process.argv[2] ?? 15);
const dist = join(root, "widget/dist");
let total = 0;
console.log("widget files (bytes raw / gzip -9):");
for (const file of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(`  ${file.padEnd(28)} ${String(bytes.length).padStart(8)} ${String(gz).padStart(8)}`);
}
console.log(`  total gzipped transfer: ${(total / 1024).toFixed(1)} KiB (${total} bytes)`);

const pages = {};
const site = await startHostSite(pages);
// Many page loads from one client: the public rate limit would otherwise stop the runs.
const api = await startApi([site.origin], ["--rate-limit-public", "0"]);
pages["/"] = hostPage(api.url, 'store="demo" layout="grid" limit="20"');
const browser = await launchChromium();
const samples = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    // A fresh context per run: nothing cached, like a first visit.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      document.addEventListener("colmena:products-loaded", () => {
        // Two frames after the DOM is in place, the grid has been painted.
        requestAnimationFrame(() => requestAnimationFrame(() => { window.__gridPainted = performance.now(); }));
      });
    });
    await page.goto(site.origin + "/");
    await page.waitForFunction(() => window.__gridPainted !== undefined, null, { timeout: 20_000 });
    const cards = await page.locator("colmena-products .card").count();
    if (cards !== 20) throw new Error(`expected 20 cards, saw ${cards}`);
    const ms = await page.evaluate(() => window.__gridPainted);
    if (i > 0) samples.push(ms); // the first run warms the server and the OS caches
    await context.close();
  }
} finally {
  await browser.close();
  api.stop();
  site.close();
}
samples.sort((a, b) => a - b);
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
console.log(`navigation start -> grid of 20 products painted, ${samples.length} cold-cache runs:`);
console.log(`  median ${at(0.5).toFixed(1)} ms, min ${samples[0].toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${samples.at(-1).toFixed(1)} ms`);
