// The chat interpreter's entry in Node (`@colmena/sdk/chat`'s "node" condition): the
// WebAssembly is read from this folder and instantiated before the first import resolves, so
// `ChatInterpreter` works at once. `await init()` stays harmless, as in browsers.
import { readFileSync } from "node:fs";
import { initSync } from "./chat.js";

initSync({ module: readFileSync(new URL("./chat_bg.wasm", import.meta.url)) });

export * from "./chat.js";
export { default } from "./chat.js";
