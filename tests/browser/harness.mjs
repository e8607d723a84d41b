// Shared by the browser tests and the benchmark: a live colmena-server, a third-party host page
// on another origin, and Debian's Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../..");

/** Starts an HTTP server on a free loopback port; `pages` maps a path to HTML. */
export async function startHostSite(pages) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const page = pages[path];
    if (typeof page !== "string") {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { port, origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Starts colmena-server with the demo stores; `allowOrigins` are added to their CORS lists. */
export async function startApi(allowOrigins = [], extraArgs = []) {
  const binary = process.env.COLMENA_SERVER_BIN ?? join(root, "target/debug/colmena-server");
  if (!existsSync(binary)) throw new Error(`${binary} not found: run scripts/test.sh`);
  const widgetDir = join(root, "widget/dist");
  if (!existsSync(join(widgetDir, "colmena.js"))) throw new Error("widget not built: run scripts/build-wasm.sh");
  const dataDir = mkdtempSync(join(tmpdir(), "colmena-browser-"));
  const args = [
    "--addr", "127.0.0.1:0", "--demo",
    "--database-url", `sqlite://${dataDir}/colmena.db`,
    "--media-dir", join(dataDir, "media"),
    "--files-dir", join(dataDir, "files"),
    "--widget-dir", widgetDir,
    ...allowOrigins.flatMap((o) => ["--demo-origin", o]),
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, RUST_LOG: "warn" } });
  const lines = createInterface({ input: child.stdout });
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
    stop() {
      child.kill();
      rmSync(dataDir, { recursive: true, force: true });
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

/** A third-party page embedding the widget exactly as the README tells merchants to. */
export function hostPage(api, attributes = 'store="demo" layout="grid"') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A shop site</title>
<script type="module" src="${api}/widget/colmena.js"></script></head>
<body><h1>Our shop</h1>
<colmena-products ${attributes} api="${api}"></colmena-products>
</body></html>`;
}
