// A small React shop over Colmena's elements: the product grid, cart and checkout are the
// widget's; the header, the summary and its buttons are React, fed by useCommerce().
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { CommerceProvider, ProductList, Cart, CheckoutButton, useCommerce } from "@colmena/react";

const params = new URLSearchParams(location.search);
const api = params.get("api") ?? window.COLMENA_API ?? "http://127.0.0.1:8080";
const store = params.get("store") ?? "demo";
const locale = params.get("locale") ?? "en";

function money(value) {
  if (!value) return "";
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: value.currency });
  return format.format(value.amount / 10 ** format.resolvedOptions().maximumFractionDigits);
}

function Summary() {
  const { products, cart, addToCart, removeFromCart, checkout } = useCommerce();
  const [order, setOrder] = useState(null);
  const first = products[0];
  return (
    <section className="summary" aria-label="Your cart">
      <ul>
        {cart.lines.map((line) => (
          <li key={line.variantId} data-product-id={line.productId}>
            {line.quantity} × {line.productName}{" "}
            <button type="button" onClick={() => addToCart(line.productId).catch(() => {})}>One more</button>{" "}
            <button type="button" onClick={() => removeFromCart(line.productId).catch(() => {})}>Remove</button>
          </li>
        ))}
      </ul>
      <div>
        {first && (
          <button type="button" onClick={() => addToCart(first.id).catch(() => {})}>
            Add {first.slug}
          </button>
        )}{" "}
        <button type="button" disabled={cart.itemCount === 0} onClick={() => checkout().then(setOrder, () => {})}>
          Check out
        </button>
        {order && <p id="order">Order {order} created.</p>}
      </div>
    </section>
  );
}

function Shop() {
  const { products, cart, loading, error } = useCommerce();
  const [looked, setLooked] = useState(null);
  return (
    <>
      <header>
        <h1>Colmena React shop</h1>
        <p>
          <span id="cart-count">{cart.itemCount}</span> in cart {money(cart.subtotal)}
          {cart.offline && " (offline: kept on this device)"}
        </p>
        <Cart />
        <CheckoutButton />
      </header>
      {error && <p role="alert">{error}</p>}
      <p id="status" aria-live="polite">
        {loading ? "Loading…" : `${products.length} products shown`}
        {looked && <span id="looked">; you looked at {looked.slug}</span>}
      </p>
      <Summary />
      <ProductList limit={8} layout="grid" onProductClick={(product) => setLooked(product)} />
    </>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <CommerceProvider store={store} api={api} locale={locale}>
      <Shop />
    </CommerceProvider>
  </StrictMode>,
);
