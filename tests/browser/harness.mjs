// Shared by the browser tests and the benchmark: a live colmena-server, a third-party host page
// on another origin, and Debian's Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { crc32, deflateSync } from "node:zlib";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../..");

/**
 * Starts an HTTP server on a free loopback port; `pages` maps a path to HTML, or to
 * `{ html, headers }` for a page with its own response headers (e.g. a Content-Security-Policy).
 */
export async function startHostSite(pages) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const page = typeof pages[path] === "string" ? { html: pages[path] } : pages[path];
    if (typeof page?.html !== "string") {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...page.headers }).end(page.html);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { port, origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The colmena-server binary the tests run: `COLMENA_SERVER_BIN`, else the debug build. */
export const serverBinary = () => process.env.COLMENA_SERVER_BIN ?? join(root, "target/debug/colmena-server");

/**
 * Starts colmena-server with the demo stores; `allowOrigins` are added to their CORS lists.
 * With `demo: false` the database starts empty, and `dataDir` names where it is (e.g. one that
 * `colmena-server stores create` has prepared); the directory is then the caller's to remove.
 */
export async function startApi(allowOrigins = [], extraArgs = [], { widgetDir = join(root, "widget/dist"), consoleDir = join(root, "console/dist"), demo = true, dataDir: given } = {}) {
  const binary = serverBinary();
  if (!existsSync(binary)) throw new Error(`${binary} not found: run scripts/test.sh`);
  if (!existsSync(join(widgetDir, "colmena.js"))) throw new Error("widget not built: run scripts/build-wasm.sh");
  const dataDir = given ?? mkdtempSync(join(tmpdir(), "colmena-browser-"));
  const args = [
    "--addr", "127.0.0.1:0", ...(demo ? ["--demo"] : []),
    "--database-url", `sqlite://${dataDir}/colmena.db`,
    "--media-dir", join(dataDir, "media"),
    "--files-dir", join(dataDir, "files"),
    "--mail-dir", join(dataDir, "mail"),
    "--widget-dir", widgetDir,
    "--console-dir", consoleDir,
    ...allowOrigins.flatMap((o) => ["--demo-origin", o]),
    ...extraArgs,
  ];
  // Warnings, and the paths of the messages it writes as .eml files (at info: no mail server).
  const env = { ...process.env, RUST_LOG: "warn,colmena::mail=info" };
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env });
  const lines = createInterface({ input: child.stdout });
  const log = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    process.stderr.write(`${line}\n`);
    log.push(line);
    // A message written as an .eml file: its lines join the log, so that logLine finds the
    // links it mails (the reset and invitation links).
    const mail = /mail written to ([^\s\x1b]+\.eml)/.exec(line);
    if (mail) log.push(...readFileSync(mail[1], "utf8").split(/\r?\n/));
  });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("colmena-server did not start in 60 s")), 60_000);
    lines.on("line", (line) => {
      if (line.startsWith("listening on ")) {
        clearTimeout(timer);
        ok(line.slice("listening on ".length).trim());
      }
    });
    child.on("exit", (code) => fail(new Error(`colmena-server exited with ${code}`)));
  });
  return {
    url,
    /** The last line of the server's log matching `pattern`, waiting up to `ms` for one. */
    async logLine(pattern, ms = 5_000) {
      for (const deadline = Date.now() + ms; ; await new Promise((ok) => setTimeout(ok, 20))) {
        const found = log.findLast((line) => pattern.test(line));
        if (found || Date.now() > deadline) return found;
      }
    },
    stop() {
      child.kill();
      if (!given) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/** The demo store's owner, as the console tests sign in. */
export const demoOwner = { store: "demo", email: "owner@demo.test", password: "demo-password" };

/**
 * Signs in to the console of the server at `api` (the demo owner unless `user` says otherwise)
 * and waits for the first page the user's role opens (`firstPage`: the owner's dashboard).
 */
export async function signInToConsole(page, api, { firstPage = "Dashboard", ...user } = {}) {
  const { store, email, password } = { ...demoOwner, ...user };
  await page.goto(`${api.url}/admin`);
  await page.getByLabel("Store").fill(store);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: firstPage }).waitFor();
}

/** An access token of the demo owner (or `user`) from the server at `api`, for set-up calls. */
export async function adminAccessToken(api, user = {}) {
  const { store, email, password } = { ...demoOwner, ...user };
  const login = await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ store, email, password }),
  });
  assert.equal(login.status, 200, "signing in for set-up calls");
  return (await login.json()).data.accessToken;
}

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Fails, naming `name`, when axe-core finds a serious or critical violation on the page. */
export async function assertAccessible(page, name) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], name);
}

/** Fails when the page is wider than its window (horizontal overflow), naming the widest parts. */
export async function assertFitsWidth(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await page.evaluate(() => [...document.querySelectorAll("main *")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}`));
  assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal overflow: ${wide.join(", ")}`);
}

/**
 * A third-party page embedding the widget exactly as the README tells merchants to: a cart in
 * the header and a product list, with `attributes` on the list.
 */
export function hostPage(api, attributes = 'store="demo" layout="grid"', { cart = 'store="demo"' } = {}) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop site</title>
<script type="module" src="${api}/widget/colmena.js"></script></head>
<body><header><h1>Our shop</h1>${cart ? `<colmena-cart ${cart} api="${api}"></colmena-cart>` : ""}</header>
<main><colmena-products ${attributes} api="${api}"></colmena-products></main>
</body></html>`;
}

// For startFileSite (aliased: the imports above are the other helpers').
import { readFileSync as readFileBytes } from "node:fs";
import { extname as extensionOf } from "node:path";

/**
 * Starts an HTTP server on a free loopback port serving the files under `directory` (e.g. the
 * built sdk-wasm/pkg) at `/files/…`, with their media types, and `pages` (path → HTML) as
 * startHostSite does: a site that loads a package from its own origin.
 */
export async function startFileSite(directory, pages = {}) {
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain" };
  const base = resolve(directory);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (typeof pages[path] === "string") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(pages[path]);
      return;
    }
    const file = path.startsWith("/files/") ? resolve(base, `.${path.slice("/files".length)}`) : null;
    if (!file?.startsWith(`${base}/`) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    const type = types[extensionOf(file)] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type }).end(readFileBytes(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { port, origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** A PNG of `width` × `height` pixels shading from `from` to `to` (RGB), made here: no fixture file. */
export function png(width, height, from, to) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1); // each row starts with its filter byte, 0
    for (let x = 0; x < width; x += 1) {
      const t = (x + y) / (width + height - 2);
      for (let c = 0; c < 3; c += 1) raw[row + 1 + x * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
