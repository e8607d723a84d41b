// The headless client in Node against a live server: browsing, the local cart, checkout to a
// paid order and its download, a few admin calls, and the error classes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sdk, startServer, owner, checkoutAndPay } from "./support.mjs";

const {
  Colmena, ColmenaCart, ColmenaAdmin, ColmenaError, NotFoundError, InsufficientInventoryError,
  ValidationError, InvalidRequestError, PriceChangedError, UnauthorizedError, StorageError, formatMoney,
} = sdk;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let api, colmena;

before(async () => {
  api = await startServer();
  colmena = new Colmena(api.url, "demo");
});

after(() => api?.stop());

test("pages and the async iterator walk the same catalog", async () => {
  const store = await colmena.store();
  assert.deepEqual([store.slug, store.currency, store.locale], ["demo", "EUR", "es-ES"]);
  assert.equal((await colmena.health()).status, "ok");

  const paged = [];
  let page;
  do {
    page = await colmena.listProducts({ limit: 6, offset: paged.length, sort: "name" });
    assert.ok(page.items.length <= 6);
    paged.push(...page.items.map((p) => p.slug));
  } while (page.pagination.hasMore);
  assert.ok(paged.length >= 20, `${paged.length} products`);
  assert.equal(paged.length, page.pagination.total);
  assert.deepEqual([...paged].sort(), paged);

  const iterated = [];
  for await (const product of colmena.products({ limit: 7, sort: "name" })) iterated.push(product.slug);
  assert.deepEqual(iterated, paged);

  // A filter applies to every page; breaking out early is fine.
  const [category] = await colmena.categories();
  const inCategory = await colmena.listProducts({ category: category.slug, limit: 100 });
  const seen = [];
  for await (const product of colmena.products({ category: category.slug, limit: 2 })) {
    assert.equal(product.category.slug, category.slug);
    seen.push(product.id);
  }
  assert.deepEqual(seen, inCategory.items.map((p) => p.id));
  for await (const _ of colmena.products()) break;

  const honey = await colmena.product("wildflower-honey-500-g");
  assert.deepEqual(await colmena.product(honey.id), honey);
  assert.equal(formatMoney(honey.price.amount, honey.price.currency, store.locale), "9,50\u00a0€");
});

test("a cart in memory adds, updates and removes lines, with the server's totals", async () => {
  const cart = ColmenaCart.open(colmena, { storage: "memory" });
  assert.deepEqual([cart.itemCount(), cart.subtotal(), cart.cartId(), cart.lines()], [0, null, null, []]);
  const honey = await colmena.product("wildflower-honey-500-g");
  const { items } = await colmena.listProducts({ limit: 100 });
  const withOptions = items.find((p) => p.variants.length > 1);
  const variant = withOptions.variants[1];

  assert.deepEqual(await cart.add(honey, null, 2), { changes: [], rejected: [], pending: 0, offline: null });
  await cart.add(withOptions, variant.id);
  await cart.setQuantity(honey.variants[0].id, 3);
  assert.equal(cart.itemCount(), 4);
  assert.match(cart.cartId(), uuid);
  const server = await colmena.cart(cart.cartId());
  assert.equal(server.itemCount, 4);
  assert.deepEqual(cart.subtotal(), server.subtotal);
  assert.equal(cart.subtotal().amount, 3 * honey.price.amount + variant.price.amount);
  assert.deepEqual(
    cart.lines().map((l) => [l.productName, l.variantTitle, l.quantity]),
    [[honey.name, "Default", 3], [withOptions.name, variant.title, 1]],
  );

  await cart.remove(variant.id);
  assert.deepEqual(cart.lines().map((l) => l.variantId), [honey.variants[0].id]);
  assert.equal((await colmena.cart(cart.cartId())).itemCount, 3);

  // A change the server refuses comes back in the report, with its error's class.
  const kit = await colmena.product("queen-marking-kit");
  const report = await cart.add(kit, null, 50);
  assert.equal(report.rejected.length, 1);
  const [{ operation, error }] = report.rejected;
  assert.deepEqual(operation, { op: "add", variantId: kit.variants[0].id, quantity: 50 });
  assert.ok(error instanceof InsufficientInventoryError);
  assert.equal(error.available, kit.variants[0].available);
  assert.deepEqual(report.changes, [{ kind: "removed", variantId: kit.variants[0].id, requested: 50 }]);
  assert.equal(cart.itemCount(), 3);

  cart.clear();
  assert.deepEqual([cart.itemCount(), cart.cartId()], [0, null]);
});

test("checkout with the test provider pays the order, and its file downloads", async () => {
  const cart = ColmenaCart.open(colmena, { storage: "memory" });
  const guide = await colmena.product("beekeeping-field-guide-pdf");
  const honey = await colmena.product("wildflower-honey-500-g");
  await cart.add(guide);
  await cart.add(honey, honey.variants[0].id, 2);

  // A stale total orders nothing.
  await assert.rejects(cart.checkout("ana@example.com", { amount: 1, currency: "EUR" }), (error) => {
    assert.ok(error instanceof PriceChangedError);
    assert.deepEqual(error.currentTotal, cart.subtotal());
    return true;
  });
  assert.equal(cart.itemCount(), 3);

  const { session, paid } = await checkoutAndPay(colmena, cart, "ana@example.com");
  assert.equal(session.order.status, "pending_payment");
  assert.equal(cart.itemCount(), 0, "a checked-out cart is emptied");
  assert.deepEqual([paid.status, paid.payment.status], ["paid", "succeeded"]);
  assert.equal(paid.total.amount, guide.price.amount + 2 * honey.price.amount);

  const order = await colmena.order(paid.id, session.orderToken);
  assert.equal(order.downloads.length, 1);
  const file = await colmena.download(order.downloads[0]);
  assert.ok(file.bytes instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(file.bytes.subarray(0, 5)), "%PDF-");
  assert.deepEqual([file.fileName, file.contentType], ["beekeeping-field-guide.pdf", "application/pdf"]);
  const after = await colmena.order(paid.id, session.orderToken);
  assert.equal(after.downloads[0].downloadsRemaining, order.downloads[0].downloadsRemaining - 1);
});

test("the owner finds the order, edits a product and registers a webhook endpoint", async () => {
  const cart = ColmenaCart.open(colmena, { storage: "memory" });
  await cart.add(await colmena.product("wildflower-honey-500-g"));
  const { paid } = await checkoutAndPay(colmena, cart, "admin-test@example.com");

  const admin = await ColmenaAdmin.login(api.url, "demo", owner.email, owner.password);
  const found = await admin.listOrders({ email: "admin-test@example.com", status: "paid" });
  assert.deepEqual(found.items.map((o) => o.id), [paid.id]);
  const everyOrder = [];
  for await (const order of admin.orders({ limit: 1 })) everyOrder.push(order.id);
  assert.ok(everyOrder.includes(paid.id));
  assert.equal((await admin.fulfilOrder(paid.id)).status, "fulfilled");

  const product = await admin.product(paid.items[0].productId);
  const renamed = await admin.updateProduct(product.id, { name: "Wildflower Honey, new harvest" });
  assert.deepEqual([renamed.name, renamed.active], ["Wildflower Honey, new harvest", true]);
  assert.equal((await colmena.product(product.id)).name, "Wildflower Honey, new harvest");

  const created = await admin.createWebhookEndpoint({ url: "https://partner.example/hooks", events: ["order.paid"] });
  assert.match(created.secret, /^whsec_/);
  assert.deepEqual(created.endpoint.events, ["order.paid"]);
  assert.deepEqual((await admin.webhookEndpoints()).map((e) => e.id), [created.endpoint.id]);

  // A saved session resumes.
  const resumed = ColmenaAdmin.fromTokens(api.url, "demo", await admin.tokens());
  assert.equal((await resumed.settings()).store.slug, "demo");
});

test("errors are instances of their classes, with code, status, request id and fields", async () => {
  const missing = await colmena.product("no-such-product").catch((e) => e);
  assert.ok(missing instanceof NotFoundError);
  assert.ok(missing instanceof ColmenaError);
  assert.ok(missing instanceof Error);
  assert.deepEqual([missing.name, missing.code, missing.status], ["NotFoundError", "NOT_FOUND", 404]);
  assert.match(missing.requestId, uuid);
  assert.equal(missing.details.resource, "product");

  const kit = await colmena.product("queen-marking-kit");
  const [variant] = kit.variants;
  const short = await colmena.createCart({ items: [{ variantId: variant.id, quantity: variant.available + 1 }] }).catch((e) => e);
  assert.ok(short instanceof InsufficientInventoryError);
  assert.deepEqual([short.code, short.available, short.variantId], ["INSUFFICIENT_INVENTORY", variant.available, variant.id]);

  const cart = await colmena.createCart({ items: [{ variantId: variant.id, quantity: 1 }] });
  const invalid = await colmena.updateCartItem(cart.id, cart.items[0].id, 0).catch((e) => e);
  assert.ok(invalid instanceof ValidationError);
  assert.deepEqual([invalid.code, invalid.status, invalid.field], ["VALIDATION_ERROR", 400, "quantity"]);

  const denied = await ColmenaAdmin.login(api.url, "demo", owner.email, "wrong").catch((e) => e);
  assert.ok(denied instanceof UnauthorizedError);

  // Bad arguments are refused before anything is sent: a rejected promise for an async method,
  // a throw for a synchronous one, never a crash of the WebAssembly module.
  const pending = colmena.cart("not-a-uuid");
  assert.ok(pending instanceof Promise);
  const refused = await pending.catch((e) => e);
  assert.ok(refused instanceof InvalidRequestError);
  assert.deepEqual([refused.code, refused.status, refused.requestId], ["INVALID_REQUEST", null, null]);
  assert.match(refused.message, /cartId/);
  for (const call of [
    () => colmena.updateCartItem(cart.id, cart.items[0].id, 1.5),
    () => colmena.listProducts({ limit: 0 }),
    () => colmena.listProducts("everything"),
    () => colmena.product(),
    () => colmena.settleTestPayment("ref", "maybe"),
    () => colmena.addToCart(cart.id, { variantId: variant.id, quantity: 1 }, ""),
  ]) {
    await assert.rejects(call(), InvalidRequestError, call.toString());
  }
  assert.throws(() => new Colmena("ftp://example.com", "demo"), InvalidRequestError);
  assert.throws(() => new Colmena(api.url, "demo", "sk_secret"), InvalidRequestError);
  assert.throws(() => formatMoney(12.5, "EUR", "es-ES"), InvalidRequestError);
  assert.throws(() => ColmenaCart.open(colmena, { storage: "disk" }), InvalidRequestError);
  // Node has no localStorage: the default storage says so.
  assert.throws(() => ColmenaCart.open(colmena), StorageError);
  // The client still works after all of that.
  assert.equal((await colmena.store()).slug, "demo");
});
