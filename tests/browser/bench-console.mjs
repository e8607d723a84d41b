// Console page loads, cold, in headless Chromium (scripts/bench-console.sh): for each page, a
// fresh browser context signs in from the stored session and times the navigation from request to
// the page's content on screen; the bytes transferred are summed from the responses' sizes.
import { startApi, launchChromium } from "./harness.mjs";

const runs = Number(process.argv[2] ?? 5);
const api = await startApi([], ["--rate-limit-login", "0", "--rate-limit-admin", "0"]);
const browser = await launchChromium();

/** Tokens of the demo owner, as the console keeps them in sessionStorage. */
async function session() {
  const response = await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  return JSON.stringify({ store: "demo", tokens: (await response.json()).data });
}

const pages = [
  { name: "sign-in", signedIn: false, ready: "button[type=submit]" },
  { name: "dashboard", signedIn: true, ready: ".cards .figure" },
  { name: "orders", signedIn: true, nav: "Orders", ready: "table, .problem" },
  { name: "products", signedIn: true, nav: "Products", ready: "tbody tr" },
  { name: "settings", signedIn: true, nav: "Settings", ready: "#field-name" },
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
for (const page of pages) {
  const times = [];
  let bytes = 0;
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext();
    if (page.signedIn) {
      const saved = await session();
      await context.addInitScript((value) => sessionStorage.setItem("colmena-console-session", value), saved);
    }
    const tab = await context.newPage();
    let transferred = 0;
    tab.on("response", async (response) => {
      const length = Number(response.headers()["content-length"] ?? 0);
      transferred += length;
    });
    const started = performance.now();
    await tab.goto(`${api.url}/admin`);
    if (page.nav) await tab.getByRole("button", { name: page.nav }).click();
    await tab.locator(page.ready).first().waitFor();
    times.push(performance.now() - started);
    bytes = transferred;
    await context.close();
  }
  rows.push(`| ${page.name} | ${median(times).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${bytes.toLocaleString("en")} |`);
}
console.log(`\nConsole pages, cold, ${runs} runs each, release server, headless Chromium, 2 cores:\n`);
console.log("| Page | median ms | slowest ms | bytes transferred |\n|---|---:|---:|---:|");
console.log(rows.join("\n"));
await browser.close();
api.stop();
