// Commerce in conversation from the headless client in Node, against a live server: a
// conversation through the store's chat fills the app's own cart (`ColmenaCart.adopt`) and ends
// with a checkout link, then a paid order; and the interpreter on the device
// (`@colmena/sdk/chat`) reads Spanish and Swahili as the server does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { sdk, startServer, checkoutAndPay } from "./support.mjs";

const chat = await import(new URL("../../sdk-wasm/pkg/chat-node.js", import.meta.url).href);
const { Colmena, ColmenaCart, InvalidRequestError, ValidationError } = sdk;
const { ChatInterpreter } = chat;

let api, colmena;

before(async () => {
  api = await startServer();
  colmena = new Colmena(api.url, "demo");
});

after(() => api?.stop());

test("a conversation fills the app's cart through the store's chat and ends with a checkout link", async () => {
  // The buyer's session: a random secret the app keeps for them.
  const session = randomBytes(24).toString("hex");
  const cart = ColmenaCart.open(colmena, { storage: "memory" });
  const say = async (text) => {
    const reply = await colmena.sendChatMessage({ session, text, locale: "en", cartId: cart.cartId() ?? undefined });
    if (reply.cartId) await cart.adopt(reply.cartId);
    return reply;
  };

  const added = await say("add 2 wildflower honey");
  assert.equal(added.interpretation.intent, "add_to_cart");
  assert.match(added.replies[0], /^Added to your cart: 2 × Wildflower Honey 500 g\./);
  assert.equal(cart.cartId(), added.cartId);
  assert.equal(cart.itemCount(), 2);

  // A question, answered by the next message; then the jacket is taken out again: the
  // conversation's changes are the cart's, and none is reported as a loss.
  const which = await say("add a jacket");
  assert.equal(which.interpretation.question.kind, "which_variant");
  assert.deepEqual(which.interpretation.question.choices.map((c) => c.label), ["S", "M", "L", "XL"]);
  await say("L");
  assert.equal(cart.itemCount(), 3);
  assert.ok(cart.lines().some((line) => line.productName === "Ventilated Jacket" && line.variantTitle === "L"), JSON.stringify(cart.lines()));
  const removed = await colmena.sendChatMessage({ session, text: "remove the jacket", cartId: cart.cartId() });
  assert.match(removed.replies[0], /Taken out of your cart: 1 × Ventilated Jacket/);
  const report = await cart.adopt(removed.cartId);
  assert.deepEqual(report.changes, [], "what the buyer took out in the chat is no surprise");
  assert.equal(cart.itemCount(), 2);

  const paying = await say("I want to pay");
  assert.equal(paying.interpretation.intent, "checkout");
  assert.equal(paying.cartId, added.cartId, "one cart throughout");
  assert.ok(paying.checkoutUrl.endsWith(`#cart=${added.cartId}`), paying.checkoutUrl);
  // The conversation as the server keeps it: the buyer's messages and the store's replies.
  const thread = await colmena.chatThread({ session });
  assert.equal(thread.status, "open");
  assert.deepEqual(thread.messages.slice(0, 2).map((m) => [m.author, m.body.split("\n")[0]]),
    [["buyer", "add 2 wildflower honey"], ["assistant", "Added to your cart: 2 × Wildflower Honey 500 g."]]);
  const { paid } = await checkoutAndPay(colmena, cart, "chat@example.com");
  assert.equal(paid.status, "paid");
  assert.deepEqual(paid.items.map((item) => [item.productName, item.quantity]), [["Wildflower Honey 500 g", 2]]);

  // A session must be a secret of 32 to 128 characters.
  await assert.rejects(colmena.sendChatMessage({ session: "short", text: "hi" }), (e) => e instanceof ValidationError && e.field === "session");
});

test("the interpreter on the device reads Spanish and Swahili as the server does", async () => {
  const catalog = await colmena.chatCatalog();
  assert.equal(catalog.language, "es");
  const interpreter = new ChatInterpreter(catalog);
  const honey = await colmena.product("wildflower-honey-500-g");
  const jacket = await colmena.product("ventilated-jacket");

  const spanish = interpreter.interpret("añade 2 miel de milflores");
  assert.deepEqual([spanish.language, spanish.intent], ["es", "add_to_cart"]);
  assert.deepEqual(spanish.items, [{ productId: honey.id, variantId: honey.variants[0].id, quantity: 2 }]);
  const which = interpreter.interpret("quiero una chaqueta");
  assert.match(which.question.text, /¿Qué talla\?/);
  const large = interpreter.interpret("la L", { previous: which });
  const l = jacket.variants.find((v) => v.options.Size === "L");
  assert.deepEqual(large.items, [{ productId: jacket.id, variantId: l.id, quantity: 1 }]);
  // The products in the cart go with the message.
  const out = interpreter.interpret("quita la miel de milflores", { inCart: [honey.id] });
  assert.deepEqual([out.intent, out.items[0].productId], ["remove_from_cart", honey.id]);

  const swahili = interpreter.interpret("nataka asali ya maua ya porini mbili");
  assert.deepEqual([swahili.language, swahili.intent], ["sw", "add_to_cart"]);
  assert.deepEqual(swahili.items, [{ productId: honey.id, variantId: honey.variants[0].id, quantity: 2 }]);
  assert.match(interpreter.interpret("nataka jaketi").question.text, /saizi gani\?/);

  // The server reads the same messages alike.
  for (const text of ["añade 2 miel de milflores", "nataka asali ya maua ya porini mbili"]) {
    const local = interpreter.interpret(text);
    const remote = await colmena.interpret({ text });
    assert.deepEqual([remote.intent, remote.language, remote.items], [local.intent, local.language, local.items]);
  }
  assert.equal(interpreter.find("wildflower honey", 3)[0], honey.id);
  assert.throws(() => new ChatInterpreter({ products: [] }), InvalidRequestError);
});
