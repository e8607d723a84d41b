// Every operation of the server's OpenAPI document is reached through the JS client, against a
// live colmena-server (the JS twin of sdk-core/tests/every_endpoint.rs): the host's fetch is
// wrapped to note each request, and the test fails if an operation was never called, so a new
// endpoint needs a method in sdk-core and a row in sdk-wasm/src/api.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sdk, startServer, owner, platformKey } from "./support.mjs";

const { Colmena, ColmenaAdmin, ColmenaCart, ColmenaPlatform, ConflictError, ForbiddenError, UnauthorizedError, ValidationError } = sdk;
const seen = new Set();
let api;

before(async () => {
  api = await startServer();
  const fetch = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    seen.add(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
    return fetch(url, init);
  };
});

after(() => api?.stop());

/** Whether the concrete `path` fits the OpenAPI `template` (`{name}` matches one segment). */
function fits(template, path) {
  const [t, p] = [template.split("/"), path.split("/")];
  return t.length === p.length && t.every((segment, i) => (segment.startsWith("{") && p[i] !== "") || segment === p[i]);
}

test("the JS client reaches every operation of the API", async () => {
  const client = new Colmena(api.url, "demo");
  const admin = await ColmenaAdmin.login(api.url, "demo", owner.email, owner.password);

  // Public catalog and system.
  assert.equal((await client.health()).status, "ok");
  const store = await client.store();
  const categories = await client.categories();
  const products = await client.listProducts();
  await client.product(products.items[0].slug);
  // Search forgives a typo and counts facets.
  const found = await client.search({ q: "wildflwer hony", limit: 5 });
  assert.equal(found.products[0].slug, "wildflower-honey-500-g");
  assert.ok(found.facets.price.max.amount >= found.facets.price.min.amount, JSON.stringify(found.facets));
  // Chat: the catalog the interpreter reads, a message read, and a conversation's message.
  assert.ok((await client.chatCatalog()).products.length > 0);
  const read = await client.interpret({ text: "add 2 wildflower honey" });
  assert.equal(read.intent, "add_to_cart");
  const chatted = await client.sendChatMessage({ session: "every-endpoint-chat-session-0123456789", text: "add 2 wildflower honey", locale: "en" });
  assert.deepEqual(chatted.interpretation, read);
  assert.equal((await client.chatThread({ session: "every-endpoint-chat-session-0123456789" })).messages.length, 2);
  // Conversations: a buyer asks for a person; staff find, answer and close the conversation.
  const asked = await client.sendChatMessage({ session: "every-endpoint-person-session-0123456789", text: "I would like to talk to a person" });
  assert.equal(asked.interpretation.humanRequested, true);

  // Settings.
  const settings = await admin.updateSettings({ allowedOrigins: ["https://shop.example"] });
  assert.deepEqual(settings.allowedOrigins, ["https://shop.example"]);
  assert.deepEqual(await admin.settings(), settings);

  // Catalog administration.
  const schema = { type: "object", properties: { burnHours: { type: "integer", minimum: 1 } }, required: ["burnHours"] };
  const productType = await admin.createProductType({ name: "Candle", schema });
  assert.equal((await admin.productType(productType.id)).name, "Candle");
  assert.ok((await admin.productTypes()).some((t) => t.id === productType.id));
  await admin.updateProductType(productType.id, { name: "Candles" });
  const category = await admin.createCategory({ name: "Candles", parentId: categories[0].id });
  await admin.updateCategory(category.id, { parentId: null });
  assert.ok((await admin.categories()).some((c) => c.id === category.id));

  const price = { amount: 1250, currency: store.currency };
  const input = {
    name: "Beeswax Pillar", description: "Hand-poured.", categoryId: category.id, productTypeId: productType.id,
    attributes: { burnHours: 0 }, options: ["Size"], variants: [{ options: { Size: "S" }, price, inventory: 5 }],
  };
  // The type's schema is enforced, naming the failing attribute.
  await assert.rejects(admin.createProduct(input), (e) => e instanceof ValidationError && e.field === "attributes/burnHours");
  let product = await admin.createProduct({ ...input, attributes: { burnHours: 40 } });
  assert.deepEqual(product.attributes, { burnHours: 40 });
  product = await admin.addVariant(product.id, { options: { Size: "L" }, price: { ...price, amount: 2250 }, inventory: 5 });
  const large = product.variants[1].id;
  // Translations: the product and its category in French, read back through a French client.
  await admin.setProductTranslation(product.id, "fr", { name: "Pilier en cire", optionNames: ["Taille"] });
  await admin.setCategoryTranslation(category.id, "fr", { name: "Bougies" });
  const inFrench = await client.withLocale("fr").product(product.id);
  assert.deepEqual([inFrench.name, inFrench.options, inFrench.category.name], ["Pilier en cire", ["Taille"], "Bougies"]);
  assert.equal((await admin.productTranslations(product.id))[0].locale, "fr");
  assert.equal((await admin.categoryTranslations(category.id))[0].name, "Bougies");
  await admin.deleteProductTranslation(product.id, "fr");
  await admin.deleteCategoryTranslation(category.id, "fr");
  assert.throws(() => client.withLocale("French"), sdk.InvalidRequestError);
  await admin.updateVariant(product.id, large, { inventory: null });
  await admin.updateProduct(product.id, { featured: true });
  const png = Uint8Array.from(Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082", "hex"));
  const withImage = await admin.uploadImage(product.id, "image/png", png, "A pillar candle");
  const image = withImage.images.at(-1);
  assert.equal(image.alt, "A pillar candle");
  await admin.deleteImage(product.id, image.id);
  const digital = await admin.uploadDigitalFile(product.id, "care.txt", "text/plain", new TextEncoder().encode("Trim the wick."));
  assert.equal(digital.digitalFileName, "care.txt");
  await admin.deleteDigitalFile(product.id);
  const fetched = await admin.product(product.id);
  assert.ok(fetched.featured && fetched.digitalFileName === undefined);
  let everything = 0;
  for await (const _ of admin.products({ limit: 10 })) everything += 1;
  assert.equal(everything, products.pagination.total + 1);
  assert.equal((await admin.listProducts({ limit: 1 })).pagination.total, everything);

  // Pricing: VAT in prices, a shipping zone (replaced, then removed), a discount code.
  const vat = { pricesIncludeTax: true, rounding: "per_line", shippingTaxable: true, rates: [{ country: "FR", rate: 2000, name: "TVA" }] };
  assert.deepEqual(await admin.setTaxSettings(vat), vat);
  assert.equal((await admin.taxSettings()).rates[0].rate, 2000);
  const zoneInput = { name: "Europe", regions: ["FR"], rates: [{ name: "Post", kind: "flat", price: { amount: 490, currency: "EUR" } }] };
  const zone = await admin.createShippingZone(zoneInput);
  const replaced = await admin.replaceShippingZone(zone.id, { ...zoneInput, name: "France", rates: [{ ...zoneInput.rates[0], id: zone.rates[0].id }] });
  assert.equal(replaced.rates[0].id, zone.rates[0].id);
  assert.equal((await admin.shippingZones()).length, 1);
  assert.equal((await admin.deleteShippingZone(zone.id)).name, "France");
  const code = await admin.createDiscount({ name: "Welcome", code: "welcome5", kind: "percentage", value: 500 });
  assert.equal(code.rule.code, "WELCOME5");
  await admin.replaceDiscount(code.id, { name: "Welcome", code: "WELCOME5", kind: "percentage", value: 500, usageLimit: 10 });
  assert.equal((await admin.discount(code.id)).rule.usageLimit, 10);
  assert.equal((await admin.discounts())[0].id, code.id, "newest first, before the demo's WELCOME10");
  // Chat channels: secrets go in, only whether each is set comes out.
  const whatsapp = await admin.setWhatsAppChannel({ phoneNumberId: "106540352242922", displayPhoneNumber: "+1 555 010 0000", verifyToken: "verify-me-please", appSecret: "0123456789abcdef0123456789abcdef" });
  assert.equal(whatsapp.appSecretSet, true);
  assert.equal(whatsapp.accessTokenSet, false);
  const twilioChannel = await admin.setTwilioChannel({ accountSid: "AC0123456789abcdef0123456789abcdef", sender: "+14155238886", authToken: "0123456789abcdef0123456789abcdef" });
  assert.equal(twilioChannel.sender, "whatsapp:+14155238886");
  assert.equal((await admin.chatChannels()).whatsapp.phoneNumberId, "106540352242922");
  assert.ok((await admin.deleteWhatsAppChannel()).whatsapp == null);
  assert.ok((await admin.deleteTwilioChannel()).twilio == null);
  const waiting = await admin.conversations({ status: "waiting_human" });
  assert.deepEqual(waiting.items.map((c) => c.id), [asked.conversationId]);
  assert.equal((await admin.conversation(asked.conversationId)).messages.length, 2);
  const answered = await admin.replyToConversation(asked.conversationId, { text: "Hello, Marta here." });
  assert.equal(answered.messages.at(-1).author, "staff");
  assert.equal((await admin.updateConversation(asked.conversationId, { status: "closed" })).conversation.status, "closed");
  const conversationEvents = await admin.conversationEvents({ conversationId: asked.conversationId });
  assert.ok(conversationEvents.items.some((e) => e.type === "conversation_closed"), JSON.stringify(conversationEvents.items.map((e) => e.type)));
  assert.match(await admin.conversationEventsCsv({ conversationId: asked.conversationId }), /^id,created_at,conversation_id,type,/);
  assert.ok((await admin.conversationAnalytics()).conversations >= 2);
  assert.ok((await client.addressFormat("us")).required.includes("region"));
  assert.ok((await client.countries()).all.includes("KE"));
  await assert.rejects(client.addressFormat("xx"), (error) => error.code === "NOT_FOUND");

  // Buying: cart, checkout, payment, download.
  const guide = await client.product("beekeeping-field-guide-pdf");
  let cart = await client.createCart({ items: [{ variantId: large, quantity: 2 }] });
  cart = await client.addToCart(cart.id, { variantId: guide.variants[0].id, quantity: 1 });
  await client.updateCartItem(cart.id, cart.items[0].id, 1);
  cart = await client.cart(cart.id);
  await client.removeCartItem(cart.id, cart.items[0].id);
  const paris = { name: "Ana", line1: "12 rue Oberkampf", city: "Paris", postalCode: "75011", country: "FR" };
  await assert.rejects(client.updateCart(cart.id, { discountCodes: ["NOPE"] }), (error) => error.code === "DISCOUNT_NOT_FOUND" && error.status === 422);
  cart = await client.updateCart(cart.id, { billingAddress: paris, discountCodes: ["welcome5"] });
  assert.deepEqual(cart.discountCodes, ["WELCOME5"]);
  assert.equal(cart.totals.discounts[0].code, "WELCOME5");
  assert.ok(cart.totals.tax.amount > 0 && cart.totals.taxIncluded);
  const session = await client.checkout({ cartId: cart.id, email: "ana@example.com" });
  const order = await client.order(session.order.id, session.orderToken);
  const paid = await client.settleTestPayment(order.payment.reference, "succeed");
  await client.download(paid.downloads[0]);
  assert.ok(Number.isInteger(order.number) && order.number >= 1001);
  assert.deepEqual(order.totals, cart.totals);
  assert.equal((await admin.deleteDiscount(code.id)).timesUsed, 1);
  // The buyer's orders, through the one-time link the store mails them (an .eml file here).
  await client.requestAccessLink({ email: "ana@example.com" });
  const access = await api.logLine(/\/orders#store=demo&token=/, 10_000);
  const buyer = await client.openCustomerSession(access.match(/&token=([\w-]+)/)[1]);
  assert.equal((await client.customerOrders(buyer.token, { limit: 5 })).items[0].id, paid.id);

  // Price lists: a customer group's own price reaches its member signed in with the session.
  let readers = await admin.createCustomerGroup({ name: "Readers", emails: ["Ana@example.com"] });
  readers = await admin.replaceCustomerGroup(readers.id, { name: "Book club", emails: ["ana@example.com"] });
  assert.deepEqual(await admin.customerGroup(readers.id), readers);
  assert.deepEqual(await admin.customerGroups(), [readers]);
  const club = { name: "Club prices", kind: "override", customerGroupId: readers.id, prices: [{ variantId: guide.variants[0].id, price: { amount: 500, currency: "EUR" } }] };
  let list = await admin.createPriceList(club);
  assert.equal(list.inForce, true);
  list = await admin.replacePriceList(list.id, { ...club, prices: [{ ...club.prices[0], price: { amount: 450, currency: "EUR" } }] });
  assert.deepEqual(await admin.priceList(list.id), list);
  assert.deepEqual((await admin.priceLists())[0], list, "newest first, before the demo's own sale");
  const member = client.withCustomerSession(buyer.token);
  assert.equal((await member.product("beekeeping-field-guide-pdf")).variants[0].price.amount, 450);
  assert.equal((await client.product("beekeeping-field-guide-pdf")).price.amount, guide.price.amount);
  await admin.deletePriceList(list.id);
  assert.equal((await admin.deleteCustomerGroup(readers.id)).name, "Book club");

  // Orders and analytics.
  const page = await admin.listOrders({ status: "paid" });
  assert.equal(page.items[0].id, paid.id);
  assert.equal((await admin.order(paid.id)).status, "paid");
  const gesture = await admin.refundOrderPartly(paid.id, { amount: { amount: 100, currency: paid.total.currency }, reason: "late" });
  assert.equal(gesture.amount.amount, 100);
  assert.equal((await admin.fulfilOrder(paid.id)).status, "fulfilled");
  const refunded = await admin.refundOrder(paid.id);
  assert.equal(refunded.status, "refunded");
  assert.deepEqual(refunded.refunded, paid.total);
  // The platform operator opens, lists, reads, suspends and reactivates a store.
  const platform = ColmenaPlatform.withKey(api.url, platformKey);
  const opened = await platform.createStore({
    slug: "honey-co", name: "Honey Co.", currency: "EUR", locale: "es-ES", ownerEmail: "ana@honey.test",
  });
  assert.equal(opened.ownerInvitation.user.role, "owner");
  assert.ok((await platform.stores({ status: "active" })).items.some((s) => s.slug === "honey-co"));
  assert.equal((await platform.suspendStore("honey-co")).status, "suspended");
  await assert.rejects(new Colmena(api.url, "honey-co").store(), (e) => e instanceof ForbiddenError && e.code === "STORE_SUSPENDED");
  assert.equal((await platform.reactivateStore("honey-co")).status, "active");
  assert.equal((await platform.store("honey-co")).plan, "free");
  // Its owner accepts the invitation, changes the password, then resets it by the emailed link.
  const ana = await ColmenaAdmin.acceptInvite(api.url, "honey-co", opened.ownerInvitation.invitationToken, "A good passw0rd!");
  await ana.changePassword("A good passw0rd!", "A better passw0rd!");
  assert.equal((await ana.settings()).store.slug, "honey-co");
  await ColmenaAdmin.requestPasswordReset(api.url, "honey-co", "ana@honey.test");
  const link = await api.logLine(/reset-password\?store=honey-co&token=/);
  const token = link.match(/&token=([\w-]+)/)[1];
  const reset = await ColmenaAdmin.resetPassword(api.url, "honey-co", token, "The best passw0rd!");
  assert.equal((await reset.settings()).store.slug, "honey-co");
  const history = await admin.orderEvents(paid.id);
  assert.deepEqual(
    history.map((event) => [event.fromStatus ?? null, event.status, event.actor.type]),
    [
      [null, "pending_payment", "system"],
      ["pending_payment", "paid", "system"],
      ["paid", "fulfilled", "user"],
      ["fulfilled", "refunded", "user"],
    ],
  );
  const orders = [];
  for await (const o of admin.orders()) orders.push(o);
  assert.equal(orders.length, 1);
  assert.equal((await admin.analytics()).orders, 1);
  // A physical order ships with its carrier and tracking.
  const jar = await client.product("wildflower-honey-500-g");
  const jarCart = await client.createCart({ items: [{ variantId: jar.variants[0].id, quantity: 1 }] });
  const jarOrder = (await client.checkout({ cartId: jarCart.id, email: "ana@example.com" })).order;
  await client.settleTestPayment(jarOrder.payment.reference, "succeed");
  const parcel = await admin.shipOrder(jarOrder.id, { carrier: "Colissimo", trackingNumber: "6A123" });
  assert.equal(parcel.items.length, 1);
  assert.equal((await admin.order(jarOrder.id)).status, "fulfilled");
  const local = ColmenaCart.open(client, { storage: "memory" });
  await local.add(await admin.product(product.id), large, 1);
  const unpaid = await local.checkout("bo@example.com");
  assert.equal((await admin.cancelOrder(unpaid.order.id)).status, "cancelled");

  // Clean-up deletes.
  await admin.deleteVariant(product.id, large);
  await admin.deleteProduct(product.id);
  await admin.deleteCategory(category.id);
  await admin.deleteProductType(productType.id);

  // Users and invitations: the invitee signs in through the client.
  const invitation = await admin.inviteUser({ email: "editor@demo.test", role: "editor" });
  const editor = await ColmenaAdmin.acceptInvite(api.url, "demo", invitation.invitationToken, "Long-enough passphrase 42");
  await assert.rejects(editor.users(), ForbiddenError);
  await admin.setUserRole(invitation.user.id, "admin");
  assert.equal((await admin.users()).length, 2);
  await admin.removeUser(invitation.user.id);
  await assert.rejects(editor.settings(), (e) => e instanceof UnauthorizedError || e instanceof ForbiddenError);

  // API keys: a secret key drives the admin API, a publishable key the public one.
  const secret = await admin.createApiKey({ kind: "secret", name: "partner", role: "admin" });
  const partner = ColmenaAdmin.withSecretKey(api.url, "demo", secret.secret);
  assert.equal((await partner.settings()).store.slug, "demo");
  assert.equal(await partner.tokens(), null);
  const publishable = await admin.createApiKey({ kind: "publishable", name: "web" });
  await new Colmena(api.url, "demo", publishable.secret).store();
  assert.equal((await admin.apiKeys()).length, 2);
  await admin.revokeApiKey(secret.key.id);
  await assert.rejects(partner.settings(), UnauthorizedError);

  // Webhook endpoints (the delivery worker is tested in the server's suite).
  const created = await admin.createWebhookEndpoint({ url: "https://partner.example/hooks", events: ["order.paid"] });
  const endpoint = created.endpoint.id;
  await admin.updateWebhookEndpoint(endpoint, { active: false });
  const rotated = await admin.rotateWebhookSecret(endpoint);
  assert.notEqual(rotated.secret, created.secret);
  assert.equal((await admin.webhookEndpoints()).length, 1);
  assert.equal((await admin.webhookDeliveries(endpoint)).pagination.total, 0);
  await assert.rejects(admin.redeliverWebhook(endpoint, crypto.randomUUID()), (e) => e.code === "NOT_FOUND");
  await admin.deleteWebhookEndpoint(endpoint);
  assert.ok((await admin.auditLog()).pagination.total > 10);

  // The storefront editor: a draft, an image, a preview, versions published, scheduled,
  // cancelled and rolled back.
  const draft = (await admin.storefrontDraft()).document;
  assert.equal((await client.storefront()).theme.colors.primary, draft.theme.colors.primary);
  const asset = await admin.uploadStorefrontAsset("image/png", png);
  assert.equal(asset.size, png.length);
  const edited = {
    ...draft,
    theme: { ...draft.theme, colors: { ...draft.theme.colors, primary: "#123456" } },
    logo: { url: asset.url, alt: "Demo" },
    banners: [{ id: crypto.randomUUID(), title: "Spring sale", imageUrl: asset.url, linkUrl: "/sale" }],
  };
  assert.equal((await admin.saveStorefrontDraft(edited)).updatedBy.label, owner.email);
  await assert.rejects(
    admin.saveStorefrontDraft({ ...edited, theme: { ...edited.theme, radius: 99 } }),
    (e) => e.name === "InvalidRequestError" && e.message.includes("theme.radius"),
  );
  const preview = await admin.createStorefrontPreviewToken();
  const previewed = await client.storefront(preview.token);
  assert.equal(previewed.theme.colors.primary, "#123456");
  assert.equal(previewed.banners[0].title, "Spring sale");
  assert.notEqual((await client.storefront()).theme.colors.primary, "#123456");
  // Its theme as the widget's CSS: the draft's colour only with the token.
  assert.match(await client.storefrontCss(preview.token), /--colmena-brand:#123456;/);
  assert.doesNotMatch(await client.storefrontCss(), /#123456/);
  await assert.rejects(client.storefront("sfp_wrong"), UnauthorizedError);
  const first = await admin.publishStorefront();
  assert.deepEqual([first.number, first.status], [1, "live"]);
  assert.equal((await client.storefront()).logo.url, asset.url);
  const scheduled = await admin.publishStorefront({ publishAt: "2999-01-01T00:00:00Z" });
  assert.equal(scheduled.status, "scheduled");
  assert.equal((await admin.cancelStorefrontVersion(scheduled.number)).status, "cancelled");
  await assert.rejects(admin.cancelStorefrontVersion(first.number), ConflictError);
  const rolled = await admin.rollbackStorefront(first.number);
  assert.deepEqual([rolled.number, rolled.rollbackOf], [3, 1]);
  const versions = await admin.storefrontVersions({ limit: 10 });
  assert.deepEqual(versions.items.map((v) => v.status), ["live", "cancelled", "superseded"]);

  // A session resumed with an expired access token refreshes itself.
  const resumed = ColmenaAdmin.fromTokens(api.url, "demo", { ...(await admin.tokens()), accessToken: "expired" });
  await resumed.settings();
  assert.equal((await resumed.publicClient().store()).slug, "demo");

  // Now compare with the API description.
  const document = await (await fetch(`${api.url}/api/v1/openapi.json`)).json();
  const missing = [];
  let operations = 0;
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item).map((m) => m.toUpperCase())) {
      // The API description is for tooling, and Stripe, Meta and Twilio (not clients) call
      // their webhooks.
      if (!["GET", "POST", "PUT", "PATCH", "DELETE"].includes(method)) continue;
      if (template === "/api/v1/openapi.json" || template === "/api/v1/webhooks/stripe" || template.startsWith("/api/v1/chat/") && template.endsWith("/webhook")) continue;
      operations += 1;
      const called = [...seen].some((call) => call.startsWith(`${method} `) && fits(template, call.slice(method.length + 1)));
      if (!called) missing.push(`${method} ${template}`);
    }
  }
  assert.ok(operations >= 52, `${operations} operations`);
  assert.deepEqual(missing, [], "operations the JS client never called");
});
