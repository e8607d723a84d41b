// How a TypeScript project uses @colmena/sdk, checked with `tsc --noEmit` by types.test.mjs: it
// must compile, and each @ts-expect-error must meet an error (a type that were `any` would not).
import init, {
  Colmena,
  ColmenaAdmin,
  ColmenaCart,
  ColmenaError,
  InsufficientInventoryError,
  NotFoundError,
  ValidationError,
  formatMoney,
  type AdminProduct,
  type CartChange,
  type CheckoutSession,
  type Order,
  type Page,
  type Product,
  type SyncReport,
} from "@colmena/sdk";
import initChat, { ChatInterpreter, type Interpretation } from "@colmena/sdk/chat";

export async function shop(): Promise<void> {
  await init();
  const colmena = new Colmena("http://127.0.0.1:8080", "demo");
  const page: Page<Product> = await colmena.listProducts({ limit: 5, sort: "-price" });
  const first = page.items[0];
  if (!first) return;
  const amount: number = first.price.amount;
  console.log(formatMoney(amount, first.price.currency, "es-ES"), page.pagination.hasMore);
  // @ts-expect-error sort is one of the documented orders
  await colmena.listProducts({ sort: "cheapest" });
  // @ts-expect-error product ids and slugs are strings
  await colmena.product(42);

  for await (const product of colmena.products({ category: "honey" })) {
    const variantIds: string[] = product.variants.map((v) => v.id);
    console.log(product.name, variantIds);
  }

  const cart = ColmenaCart.open(colmena, { storage: "memory" });
  const report: SyncReport = await cart.add(first, null, 2);
  for (const change of report.changes) describe(change);
  for (const { operation, error } of report.rejected) console.log(operation.op, error.code);
  if (report.offline) console.log("offline:", report.offline.requestId);
  // @ts-expect-error quantities are numbers
  await cart.setQuantity(first.variants[0]?.id ?? "", "2");
  // @ts-expect-error storage is "local" or "memory"
  ColmenaCart.open(colmena, { storage: "disk" });

  const session: CheckoutSession = await cart.checkout("ana@example.com", cart.subtotal());
  const paid: Order = await colmena.settleTestPayment(session.order.payment.reference ?? "", "succeed");
  // @ts-expect-error outcomes are "succeed" or "fail"
  await colmena.settleTestPayment("ref", "maybe");
  const download = paid.downloads[0];
  if (download) {
    const file = await colmena.download(download);
    const bytes: Uint8Array = file.bytes;
    console.log(file.fileName, file.contentType ?? "unknown", bytes.length);
  }

  try {
    await colmena.product("no-such-product");
  } catch (error) {
    if (error instanceof NotFoundError) console.log(error.code, error.status, error.requestId);
    else if (error instanceof InsufficientInventoryError) console.log(error.available, error.variantId);
    else if (error instanceof ValidationError) console.log(error.field);
    else if (error instanceof ColmenaError) console.log(error.details?.parameter);
  }
}

function describe(change: CartChange): string {
  switch (change.kind) {
    case "priceChanged":
      return `${change.was.amount} -> ${change.now.amount}`;
    case "quantityReduced":
      return `${change.requested} -> ${change.now}`;
    case "stockShort":
      return `${change.quantity} > ${change.available}`;
    case "removed":
      return `${change.requested} gone`;
  }
}

export async function backOffice(): Promise<void> {
  const admin = await ColmenaAdmin.login("http://127.0.0.1:8080", "demo", "owner@demo.test", "demo-password");
  const orders: Page<Order> = await admin.listOrders({ status: "paid", limit: 10 });
  // @ts-expect-error order statuses are the documented ones
  await admin.listOrders({ status: "lost" });
  for (const order of orders.items) await admin.fulfilOrder(order.id);
  for await (const product of admin.products()) {
    const updated: AdminProduct = await admin.updateProduct(product.id, { featured: !product.featured });
    console.log(updated.active, updated.updatedAt);
  }
  const endpoint = await admin.createWebhookEndpoint({ url: "https://example.com/hook", events: ["order.paid"] });
  console.log(endpoint.secret, endpoint.endpoint.events);
  // @ts-expect-error event types are the documented ones
  await admin.createWebhookEndpoint({ url: "https://example.com/hook", events: ["order.lost"] });
  await admin.uploadImage(endpoint.endpoint.id, "image/png", new Uint8Array([1, 2, 3]), "alt text");
  const tokens = await admin.tokens();
  if (tokens) ColmenaAdmin.fromTokens("http://127.0.0.1:8080", "demo", tokens).free();
}

export async function conversation(): Promise<void> {
  await initChat();
  const colmena = new Colmena("http://127.0.0.1:8080", "demo");
  const cart = ColmenaCart.open(colmena);
  const reply = await colmena.sendChatMessage({ session: "a-random-secret-of-32-characters-at-least", text: "add 2 honey", cartId: cart.cartId() });
  for (const line of reply.replies) console.log(line);
  if (reply.cartId) await cart.adopt(reply.cartId);
  if (reply.checkoutUrl) console.log(reply.checkoutUrl);
  // @ts-expect-error a message needs its session
  await colmena.sendChatMessage({ text: "hi" });

  const interpreter = new ChatInterpreter(await colmena.chatCatalog());
  const first: Interpretation = interpreter.interpret("quiero una chaqueta", { locale: "es" });
  const choices: string[] = first.question?.choices.map((choice) => choice.label) ?? [];
  const answer = interpreter.interpret("la L", { previous: first, inCart: [] });
  console.log(choices, answer.intent === "add_to_cart", answer.items[0]?.quantity);
  // @ts-expect-error intents are the documented ones
  if (answer.intent === "buy") console.log("never");
  const remote: Interpretation = await colmena.interpret({ text: "nataka kulipa" });
  const ids: string[] = interpreter.find("honey", 3);
  console.log(remote.confidence, ids);
}
