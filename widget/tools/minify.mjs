// Shrinks the built widget in place (widget/dist), as a production bundle is shipped:
//  1. the wasm's import and export names, which wasm-bindgen derives from Rust paths and hashes
//     (`__wbg_setAttribute_f3c1b9a0e2d45678`, ~35 characters each, 160 of them), become short
//     names in the wasm and in the glue that provides and calls them;
//  2. every JS file is minified by esbuild (ES modules in, ES modules out; no eval, so the
//     strict-CSP page still works).
// Fails loudly if the glue no longer looks as expected, rather than shipping a broken widget.
//   node widget/tools/minify.mjs <dist dir> <glue file> <wasm file> [<glue file> <wasm file>…]
// with a glue and wasm pair per bundle (the widget's, <colmena-banners>').
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { leb, readLeb, sections as wasmSections } from "./wasm-binary.mjs";

const [dist, ...bundles] = process.argv.slice(2);
if (!bundles.length || bundles.length % 2) {
  throw new Error("usage: minify.mjs <dist dir> <glue file> <wasm file> [<glue file> <wasm file>…]");
}
let shortened = 0;
for (let i = 0; i < bundles.length; i += 2) {
  shortened += shortenNames(join(dist, bundles[i]), join(dist, bundles[i + 1]));
}

/** Shortens one bundle's wasm import and export names, in its wasm and its glue; returns how many. */
function shortenNames(gluePath, wasmPath) {
  let glue = readFileSync(gluePath, "utf8");
  const wasm = readFileSync(wasmPath);

  // --- The wasm: imports and exports are lists of names.
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const name = (text) => [...leb(encoder.encode(text).length), ...encoder.encode(text)];

  // Short names: `$` then base 36, which no identifier of the glue starts with (checked below).
  if (/\$[0-9a-z]/.test(glue)) throw new Error("minify.mjs: the glue already uses $-names");
  let counter = 0;
  const importRenames = new Map();
  const exportRenames = new Map();
  const shortName = (renames, old) => {
    if (!renames.has(old)) renames.set(old, `$${(counter++).toString(36)}`);
    return renames.get(old);
  };

  const sections = wasmSections(wasm);
  let importModule = null;
  for (const section of sections) {
    if (section.id !== 2 && section.id !== 7) continue;
    const bytes = section.bytes;
    let [count, p] = readLeb(bytes, 0);
    const out = [...leb(count)];
    for (let i = 0; i < count; i++) {
      const readName = () => {
        const [length, from] = readLeb(bytes, p);
        p = from + length;
        return decoder.decode(bytes.subarray(from, p));
      };
      if (section.id === 2) {
        const module = readName();
        const field = readName();
        importModule ??= module;
        if (module !== importModule || bytes[p] !== 0) {
          throw new Error(`minify.mjs: unexpected import ${module}.${field} (only functions of one module are handled)`);
        }
        const kindStart = p;
        p += 1;
        [, p] = readLeb(bytes, p); // the function's type index
        out.push(...name("m"), ...name(shortName(importRenames, field)), ...bytes.subarray(kindStart, p));
      } else {
        const field = readName();
        const descStart = p;
        p += 1;
        [, p] = readLeb(bytes, p); // the item's index
        out.push(...name(shortName(exportRenames, field)), ...bytes.subarray(descStart, p));
      }
    }
    section.bytes = Uint8Array.from(out);
  }
  const chunks = [wasm.subarray(0, 8)];
  for (const { id, bytes } of sections) chunks.push(Uint8Array.from([id, ...leb(bytes.length)]), bytes);
  writeFileSync(wasmPath, Buffer.concat(chunks));

  // --- The glue: the import object's keys, `wasm.<export>` calls, and the import module's name.
  const moduleKey = JSON.stringify(importModule);
  if (!glue.includes(`${moduleKey}: import0`)) throw new Error(`minify.mjs: no ${moduleKey} in the glue's imports`);
  glue = glue.replace(`${moduleKey}: import0`, `"m": import0`);
  const escape = (text) => text.replace(/[$]/g, "\\$&");
  // Each import is one key of the import object: `name: function(…)`.
  for (const [old, renamed] of importRenames) {
    const pattern = new RegExp(`(?<![\\w$])${escape(old)}(?=: function)`, "g");
    const count = glue.match(pattern)?.length ?? 0;
    if (count !== 1) throw new Error(`minify.mjs: the glue provides import ${old} ${count} times`);
    glue = glue.replace(pattern, renamed);
  }
  // Exports are only ever reached as `wasm.name` (the glue's own functions keep their names).
  for (const [old, renamed] of exportRenames) {
    glue = glue.replace(new RegExp(`\\bwasm\\.${escape(old)}(?![\\w$])`, "g"), `wasm.${renamed}`);
  }
  if (/\bwasm\.(?!\$)[A-Za-z_]/.test(glue)) throw new Error("minify.mjs: the glue reaches an export that was not renamed");
  writeFileSync(gluePath, glue);
  return importRenames.size + exportRenames.size;
}

// --- esbuild over every JS file (the loader, the glue, the snippets it imports).
const jsFiles = readdirSync(dist, { recursive: true }).filter((file) => file.endsWith(".js"));
for (const file of jsFiles) {
  const path = join(dist, file);
  const { code } = transformSync(readFileSync(path, "utf8"), {
    minify: true,
    format: "esm",
    target: "es2022",
    legalComments: "none",
    // The error classes' `name`s (InvalidRequestError, …) are part of the API; elsewhere a
    // function's `name` is not worth the bytes.
    keepNames: file.endsWith("errors.js"),
  });
  writeFileSync(path, code);
}
console.log(`minify.mjs: ${shortened} wasm names shortened; ${jsFiles.length} JS files minified`);
