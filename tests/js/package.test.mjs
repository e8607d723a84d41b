// The npm package as its users get it: installed under its name, resolved through package.json's
// `exports` (Node's entry, the TypeScript declarations), typed without `any`, and type-checked
// with tsc against a usage file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = join(root, "sdk-wasm/pkg");
const tsc = join(root, "sdk-wasm/node_modules/typescript/bin/tsc");
let project;

before(() => {
  // A project with the package installed: node_modules/@colmena/sdk is the built folder.
  project = mkdtempSync(join(tmpdir(), "colmena-sdk-user-"));
  mkdirSync(join(project, "node_modules/@colmena"), { recursive: true });
  symlinkSync(pkg, join(project, "node_modules/@colmena/sdk"), "dir");
  cpSync(join(root, "tests/js/typescript"), project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
});

after(() => rmSync(project, { recursive: true, force: true }));

test("package.json names the package, its version and every file it ships", () => {
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
  const version = cargo.match(/\[workspace\.package\][^[]*?\nversion = "([^"]+)"/)[1];
  assert.deepEqual([manifest.name, manifest.version, manifest.type], ["@colmena/sdk", version, "module"]);
  assert.deepEqual(manifest.exports["."], { types: "./colmena.d.ts", node: "./node.js", default: "./colmena.js" });
  for (const file of manifest.files) assert.ok(existsSync(join(pkg, file)), `${file} listed but missing`);
  const shipped = new Set(manifest.files.map((f) => f.replace(/\/$/, "")));
  for (const file of readdirSync(pkg)) {
    if (file !== "package.json") assert.ok(shipped.has(file), `${file} built but not in "files"`);
  }
});

test("Node imports the package by name, ready to use without init", () => {
  const script = `
    import init, { Colmena, ColmenaCart, ColmenaAdmin, NotFoundError, ColmenaError, formatMoney } from "@colmena/sdk";
    await init(); // harmless after the Node entry loaded the module
    const colmena = new Colmena("http://127.0.0.1:9", "demo");
    ColmenaCart.open(colmena, { storage: "memory" });
    const checks = [typeof ColmenaAdmin.login, new NotFoundError("x", { code: "NOT_FOUND" }) instanceof ColmenaError];
    // The chat interpreter, a module of its own, ready as well.
    const { ChatInterpreter } = await import("@colmena/sdk/chat");
    const interpreter = new ChatInterpreter({ language: "en", products: [] });
    checks.push(interpreter.interpret("what is in my cart?").intent);
    console.log(JSON.stringify([formatMoney(1250, "EUR", "es-ES"), ...checks]));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), ["12,50\u00a0€", "function", true, "view_cart"]);
});

/** The declarations without comments and string literals, where `any` could only be a type. */
function code(declarations) {
  return declarations
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`/g, '""');
}

test("the public declarations have no `any`", () => {
  const files = readdirSync(pkg).filter((f) => f.endsWith(".d.ts"));
  assert.deepEqual(files.sort(), ["api-types.d.ts", "chat.d.ts", "colmena.d.ts"]);
  for (const file of files) {
    const lines = code(readFileSync(join(pkg, file), "utf8")).split("\n");
    const offending = lines.map((line, i) => `${file}:${i + 1}: ${line.trim()}`).filter((l) => /\bany\b/.test(l.split(": ").slice(1).join(": ")));
    assert.deepEqual(offending, []);
  }
  // Every promise resolves to a named type, every parameter is typed (InitOutput, the raw wasm
  // exports init() resolves to, aside).
  const colmena = code(readFileSync(join(pkg, "colmena.d.ts"), "utf8")).replace(/export interface InitOutput \{[^}]*\}/, "");
  const untyped = colmena.split("\n").filter((line) => /Promise<unknown>|: unknown\b/.test(line));
  assert.deepEqual(untyped, []);
  assert.match(colmena, /listProducts\(query\?: ProductListQuery\): Promise<Page<Product>>/);
  assert.match(colmena, /export declare class InsufficientInventoryError extends ColmenaError/);
  const chat = code(readFileSync(join(pkg, "chat.d.ts"), "utf8")).replace(/export interface InitOutput \{[^}]*\}/, "");
  assert.deepEqual(chat.split("\n").filter((line) => /: unknown\b/.test(line)), []);
  assert.match(chat, /interpret\(text: string, options\?: ChatInterpretOptions\): Interpretation/);
});

test("a TypeScript project type-checks against the declarations (tsc --noEmit, strict)", { skip: !existsSync(tsc) && "run npm ci in sdk-wasm" }, () => {
  try {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, encoding: "utf8" });
  } catch (error) {
    assert.fail(`tsc found errors:\n${error.stdout}${error.stderr}`);
  }
});
