// Shared by the Node tests of the headless client (@colmena/sdk, built in sdk-wasm/pkg by
// scripts/build-wasm.sh): the package, loaded through its Node entry, and a live colmena-server
// with the demo stores, started by the browser tests' harness.
import { startApi } from "../browser/harness.mjs";

export const sdk = await import(new URL("../../sdk-wasm/pkg/node.js", import.meta.url).href);

/** A colmena-server with the demo stores and no rate limits (the tests make many calls). */
export function startServer() {
  const unlimited = ["public", "admin", "login", "uploads"].flatMap((kind) => [`--rate-limit-${kind}`, "0"]);
  return startApi([], [...unlimited, "--platform-key", platformKey]);
}

/** The platform key the test server starts with. */
export const platformKey = "platform-key-for-tests-0123456789abcdef";

/** The demo store's owner. */
export const owner = { email: "owner@demo.test", password: "demo-password" };

/** Checks `cart` out for `email`, pays it with the test provider and returns the paid order. */
export async function checkoutAndPay(colmena, cart, email) {
  const session = await cart.checkout(email, cart.subtotal());
  const paid = await colmena.settleTestPayment(session.order.payment.reference, "succeed");
  return { session, paid };
}
