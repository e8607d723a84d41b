// The webhook signature vectors shared with the Rust and Kotlin SDKs, through sdk-wasm in Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const sdk = await import(`${root}sdk-wasm/pkg/colmena.js`);
sdk.initSync({ module: readFileSync(`${root}sdk-wasm/pkg/colmena_bg.wasm`) });
const vectors = JSON.parse(readFileSync(`${root}sdk-core/tests/vectors/webhook-signatures.json`, "utf8"));

test("every shared vector verifies as documented", () => {
  assert.ok(vectors.cases.length >= 15);
  for (const c of vectors.cases) {
    let code = null;
    try {
      sdk.verifyWebhookSignature(c.secret, c.header, c.body, c.now, vectors.toleranceSeconds);
    } catch (error) {
      assert.equal(error.name, "ColmenaWebhookError", c.name);
      code = error.code;
    }
    assert.equal(code, c.valid ? null : c.error, c.name);
  }
});

test("a raw body as bytes verifies like the same text", () => {
  const c = vectors.cases.find((v) => v.name === "unicode body");
  sdk.verifyWebhookSignature(c.secret, c.header, new TextEncoder().encode(c.body), c.now);
  assert.throws(
    () => sdk.verifyWebhookSignature(c.secret, c.header, new TextEncoder().encode(c.body + " "), c.now),
    { code: "SIGNATURE_MISMATCH" },
  );
});
