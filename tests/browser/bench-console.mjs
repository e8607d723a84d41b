// Console page loads, cold, in headless Chromium (scripts/bench-console.sh): for every page of
// the console's navigation, a fresh browser context signs in from the stored session and times
// from the request for /admin to the page's heading on screen and its data received; the bytes
// transferred are summed from the responses' sizes.
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

/** The console's pages, from its navigation as the owner (who sees them all). */
async function discoverPages() {
  const context = await browser.newContext();
  const saved = await session();
  await context.addInitScript((value) => sessionStorage.setItem("colmena-console-session", value), saved);
  const tab = await context.newPage();
  await tab.goto(`${api.url}/admin`);
  const nav = tab.getByRole("navigation", { name: "Console" });
  await nav.getByRole("button").first().waitFor();
  const names = await nav.getByRole("button").allTextContents();
  await context.close();
  return names;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Opens the console in a fresh context (signed in or not), goes to `name`'s page, and returns
 * the time from the request for /admin to the page's heading on screen with every API answer
 * it asked for received, and the bytes transferred.
 */
async function load(name) {
  const context = await browser.newContext();
  if (name) {
    const saved = await session();
    await context.addInitScript((value) => sessionStorage.setItem("colmena-console-session", value), saved);
  }
  const tab = await context.newPage();
  let transferred = 0;
  let inFlight = 0;
  let lastAnswer = 0;
  tab.on("request", () => { inFlight += 1; });
  const settle = () => { inFlight -= 1; lastAnswer = performance.now(); };
  tab.on("requestfinished", settle);
  tab.on("requestfailed", settle);
  tab.on("response", (response) => { transferred += Number(response.headers()["content-length"] ?? 0); });
  const started = performance.now();
  await tab.goto(`${api.url}/admin`);
  if (name) {
    if (name !== "Dashboard") {
      await tab.getByRole("navigation", { name: "Console" }).getByRole("button", { name, exact: true }).click();
    }
    await tab.getByRole("heading", { level: 1, name, exact: true }).waitFor();
  } else {
    await tab.locator("button[type=submit]").waitFor();
  }
  const shown = performance.now();
  // The page's data: wait until no request is open for 200 ms, then take the last answer's time.
  for (let quiet = 0; quiet < 200; quiet = inFlight === 0 ? quiet + 20 : 0) await tab.waitForTimeout(20);
  await context.close();
  return { ms: Math.max(shown, lastAnswer) - started, bytes: transferred };
}

const rows = [];
for (const name of [null, ...(await discoverPages())]) {
  const times = [];
  let bytes = 0;
  for (let run = 0; run < runs; run += 1) {
    const measured = await load(name);
    times.push(measured.ms);
    bytes = measured.bytes;
  }
  rows.push(`| ${name ?? "Sign-in"} | ${median(times).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${bytes.toLocaleString("en")} |`);
}
console.log(`\nConsole pages, cold, ${runs} runs each, release server, headless Chromium, 2 cores:\n`);
console.log("| Page | median ms | slowest ms | bytes transferred |\n|---|---:|---:|---:|");
console.log(rows.join("\n"));
await browser.close();
api.stop();
