// Optimises a wasm-bindgen output module in place for its gzipped size, which is what a shopper
// downloads (figures in docs/figures.md):
//  1. binaryen's -O1 with shrinking and duplicate-function elimination. Its -O2/-Oz make the
//     file smaller but the gzipped file larger: inlining copies small functions into their
//     callers, which deflate compresses worse than calls to one copy.
//  2. The functions are laid out so that each is followed by the remaining one sharing the most
//     6-byte sequences with the last few placed. deflate only finds repeats within the last
//     32 KB, so similar code kept together compresses better (about 2 KB less gzipped than
//     LLVM's order).
//   node widget/tools/optimize-wasm.mjs <file.wasm>
import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";
import { readLeb, sections } from "./wasm-binary.mjs";

const [path] = process.argv.slice(2);
if (!path) throw new Error("usage: optimize-wasm.mjs <file.wasm>");

const input = readFileSync(path);
const module = binaryen.readBinary(input);
// The features rustc enables for wasm32 today (the target_features section wasm-bindgen drops);
// binaryen refuses instructions of features not enabled.
const F = binaryen.Features;
module.setFeatures(
  F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt |
    F.CallIndirectOverlong | F.ReferenceTypes | F.Multivalue,
);
binaryen.setOptimizeLevel(1);
binaryen.setShrinkLevel(1);
binaryen.setDebugInfo(false);
module.optimize();
module.runPasses(["duplicate-function-elimination"]);
if (!module.validate()) throw new Error(`optimize-wasm.mjs: ${path} does not validate after -O1`);

// --- Layout. Function bodies in the order binaryen emits them (imports come first and have none).
function functionBodies(wasm) {
  const code = sections(wasm).find(({ id }) => id === 10);
  if (!code) return [];
  const bodies = [];
  let [count, cursor] = readLeb(code.bytes, 0);
  while (count--) {
    const [length, bodyStart] = readLeb(code.bytes, cursor);
    bodies.push(code.bytes.subarray(bodyStart, bodyStart + length));
    cursor = bodyStart + length;
  }
  return bodies;
}

const defined = [];
for (let index = 0; index < module.getNumFunctions(); index++) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(index));
  if (!info.module) defined.push(info);
}
const bodies = functionBodies(module.emitBinary());
if (bodies.length !== defined.length) throw new Error("optimize-wasm.mjs: unexpected code section");

// Each body's distinct 6-byte sequences (as strings, in a Set), for counting the shared ones.
const GRAM = 6;
const grams = bodies.map((body) => {
  const seen = new Set();
  for (let at = 0; at + GRAM <= body.length; at++) {
    seen.add(String.fromCharCode(...body.subarray(at, at + GRAM)));
  }
  return seen;
});
// The grams of the last WINDOW functions placed, with how many of them hold each.
const WINDOW = 4;
const recent = new Map();
const place = (index, order) => {
  order.push(index);
  for (const gram of grams[index]) recent.set(gram, (recent.get(gram) ?? 0) + 1);
  const leaving = order[order.length - 1 - WINDOW];
  if (leaving === undefined) return;
  for (const gram of grams[leaving]) {
    const count = recent.get(gram) - 1;
    if (count) recent.set(gram, count);
    else recent.delete(gram);
  }
};
const left = new Set(defined.keys());
const order = [];
place(0, order);
left.delete(0);
while (left.size) {
  let best = -1, bestShared = -1;
  for (const candidate of left) {
    let count = 0;
    for (const gram of grams[candidate]) if (recent.has(gram)) count++;
    if (count > bestShared) [best, bestShared] = [candidate, count];
  }
  place(best, order);
  left.delete(best);
}

// binaryen appends an added function: removing every function and adding them back in the new
// order lays them out in it. Bodies live in the module's arena, so they outlive the removal;
// calls, exports and tables refer to functions by name, so nothing else changes.
for (const info of defined) module.removeFunction(info.name);
for (const index of order) {
  const { name, params, results, vars, body } = defined[index];
  module.addFunction(name, params, results, vars, body);
}
if (!module.validate()) throw new Error(`optimize-wasm.mjs: ${path} does not validate after layout`);
const output = module.emitBinary();
writeFileSync(path, output);
module.dispose();
console.log(`optimize-wasm.mjs: ${path.split("/").pop()} ${input.length} -> ${output.length} bytes`);
