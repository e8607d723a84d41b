// The package's entry in Node (its `exports` "node" condition): the WebAssembly is read from this
// folder and instantiated before the first import resolves, so the classes work at once.
// `await init()` stays harmless, as in browsers.
import { readFileSync } from "node:fs";
import { initSync } from "./colmena.js";

initSync({ module: readFileSync(new URL("./colmena_bg.wasm", import.meta.url)) });

export * from "./colmena.js";
export { default } from "./colmena.js";
