// @colmena/react: React components over Colmena's custom elements. The elements (Rust compiled
// to WebAssembly, served by the Colmena server at `${api}/widget/colmena.js`) render, fetch and
// keep the cart; this module only maps props to attributes, DOM events to callbacks, and the
// elements' cart to a React context. A plain ES module (no JSX): nothing to build.
import React from "react";

const { createContext, createElement, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } =
  React;

const NEEDS_CART_API =
  "needs widget cart API: this Colmena server's widget/colmena.js does not export cart(store, api)";

/** Loader modules by URL: each is imported once per page, whatever renders first. */
const widgets = new Map();

/**
 * Imports the widget's loader from the Colmena server at `api` (once) and resolves to it when
 * its WebAssembly is ready. It defines the custom elements, which then render themselves.
 */
export function loadWidget(api) {
  const url = `${String(api).replace(/\/+$/, "")}/widget/colmena.js`;
  let loading = widgets.get(url);
  if (!loading) {
    loading = import(/* webpackIgnore: true */ /* @vite-ignore */ url).then(async (widget) => {
      await widget.ready;
      return widget;
    });
    loading.catch(() => widgets.delete(url)); // the next render tries again
    widgets.set(url, loading);
  }
  return loading;
}

const EMPTY_CART = Object.freeze({ itemCount: 0, subtotal: null, pending: 0, offline: false, lines: [] });

/** What the provider gives its components (attribute defaults, the list bookkeeping). */
const Wiring = createContext(null);
/** The public value: products, cart, loading, error and the cart's actions. */
const CommerceContext = createContext(null);

const messageOf = (error) => (error && typeof error.message === "string" ? error.message : String(error));

/** The cart of `store` as the widget holds it, read through its cart API. */
function snapshot(widget, store, api) {
  const shop = widget.cart(store, api);
  try {
    let subtotal = null;
    try {
      subtotal = shop.subtotal();
    } catch {
      // Lines in several currencies have no subtotal: the drawer says so itself.
    }
    return { itemCount: shop.itemCount, subtotal, lines: shop.lines() };
  } finally {
    shop.free();
  }
}

/** Opens the drawer of a `<colmena-cart>` or `<colmena-checkout-button>` of `store`. */
function openDrawer(widget, store, api) {
  if (typeof widget.cart === "function") {
    const shop = widget.cart(store, api);
    try {
      return shop.open();
    } finally {
      shop.free();
    }
  }
  // Without the cart API: click the element's own button, as the shopper would.
  const hosts = [...document.querySelectorAll("colmena-checkout-button, colmena-cart")];
  const toggle = hosts
    .filter((host) => host.getAttribute("store") === store)
    .map((host) => host.shadowRoot?.querySelector("button.toggle"))
    .find(Boolean);
  toggle?.click();
  return Boolean(toggle);
}

/**
 * Loads the widget from `api` and gives its children the context of `store`'s shop: the cart
 * the custom elements show (the same one: the widget's own), the products last shown by a
 * `<ProductList>`, `loading`, the last `colmena:error` message, and the cart's actions.
 * `locale`, `theme` and `preview` become every element's default.
 */
export function CommerceProvider({ store, api, locale, theme, preview, children }) {
  const [widget, setWidget] = useState(null);
  const [failed, setFailed] = useState(false);
  const [products, setProducts] = useState([]);
  const [cart, setCart] = useState(EMPTY_CART);
  const [error, setError] = useState(null);
  const busyLists = useRef(new Set());
  const [busyCount, setBusyCount] = useState(0);

  useEffect(() => {
    let live = true;
    setWidget(null);
    setFailed(false);
    loadWidget(api).then(
      (module) => live && setWidget(module),
      (e) => {
        if (!live) return;
        setFailed(true);
        setError(`the Colmena widget did not load from ${api}: ${messageOf(e)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  // The cart as saved on this device, then after every change (a click in an element, or the
  // actions below). The event does not name its store: with the cart API the counts are read
  // from this store's cart; without it they are the event's.
  useEffect(() => {
    const hasCartApi = typeof widget?.cart === "function";
    const read = () => {
      try {
        return snapshot(widget, store, api);
      } catch (e) {
        setError(messageOf(e));
        return null;
      }
    };
    setCart(hasCartApi ? { ...EMPTY_CART, ...read() } : EMPTY_CART);
    const onCartChange = ({ detail }) => {
      const { itemCount = 0, subtotal = null, pending = 0, offline = false } = detail ?? {};
      // Read after the widget's own handling of the change has returned.
      queueMicrotask(() => {
        const own = hasCartApi ? read() : { itemCount, subtotal };
        setCart((current) => ({ ...current, ...own, pending, offline }));
      });
    };
    const onError = ({ detail }) => setError(messageOf(detail));
    document.addEventListener("colmena:cart-change", onCartChange);
    document.addEventListener("colmena:error", onError);
    return () => {
      document.removeEventListener("colmena:cart-change", onCartChange);
      document.removeEventListener("colmena:error", onError);
    };
  }, [widget, store, api]);

  const setBusy = useCallback((list, busy) => {
    const lists = busyLists.current;
    if (busy) lists.add(list);
    else lists.delete(list);
    setBusyCount(lists.size);
  }, []);

  /** Runs `operation` on the widget's cart of this store; a failure also becomes `error`. */
  const withCart = useCallback(
    async (operation) => {
      try {
        const module = await loadWidget(api);
        if (typeof module.cart !== "function") throw new Error(NEEDS_CART_API);
        const shop = module.cart(store, api);
        try {
          return await operation(shop);
        } finally {
          shop.free();
        }
      } catch (e) {
        setError(messageOf(e));
        throw e;
      }
    },
    [store, api],
  );

  const addToCart = useCallback(
    (productId, quantity = 1) => {
      if (!Number.isInteger(quantity) || quantity < 1) {
        return Promise.reject(new RangeError(`quantity must be a positive integer, not ${quantity}`));
      }
      return withCart((shop) => shop.add(String(productId), undefined, quantity));
    },
    [withCart],
  );

  const removeFromCart = useCallback(
    (productId) =>
      withCart(async (shop) => {
        for (const line of shop.lines()) {
          if (line.productId === productId || line.variantId === productId) await shop.remove(line.variantId);
        }
        return shop.itemCount;
      }),
    [withCart],
  );

  const checkout = useCallback(async () => {
    const module = await loadWidget(api);
    let onCheckout;
    const order = new Promise((resolve) => {
      onCheckout = (event) => {
        const host = event.target;
        if (typeof host?.getAttribute !== "function" || host.getAttribute("store") === store) {
          resolve(event.detail.orderId);
        }
      };
    });
    document.addEventListener("colmena:checkout", onCheckout);
    try {
      if (!openDrawer(module, store, api)) {
        throw new Error("checkout() needs a <Cart> or <CheckoutButton> of this store on the page: its drawer asks for the email");
      }
      return await order;
    } finally {
      document.removeEventListener("colmena:checkout", onCheckout);
    }
  }, [store, api]);

  const loading = (!widget && !failed) || busyCount > 0;
  const value = useMemo(
    () => ({ products, cart, loading, error, addToCart, removeFromCart, checkout }),
    [products, cart, loading, error, addToCart, removeFromCart, checkout],
  );
  const wiring = useMemo(
    () => ({ store, api, locale, theme, preview, setProducts, setBusy }),
    [store, api, locale, theme, preview, setBusy],
  );
  return createElement(Wiring.Provider, { value: wiring }, createElement(CommerceContext.Provider, { value }, children));
}

/** The context of the nearest `<CommerceProvider>`. */
export function useCommerce() {
  const value = useContext(CommerceContext);
  if (!value) throw new Error("useCommerce() must be used inside a <CommerceProvider>");
  return value;
}

const useAfterRender = typeof document === "undefined" ? useEffect : useLayoutEffect;
const COMMON = ["store", "api", "locale", "theme", "preview"];

/**
 * Renders the custom element `tag`: each of `names` that has a value (the prop, else the
 * provider's) becomes a string attribute, and `events` (type → handler or undefined) are
 * listened to on the element.
 */
function useColmenaElement(tag, props, names, events) {
  const wiring = useContext(Wiring);
  const ref = useRef(null);
  const handlers = useRef(events);
  useAfterRender(() => {
    handlers.current = events;
  });
  const types = Object.keys(events).join(" ");
  useEffect(() => {
    const element = ref.current;
    const listeners = types.split(" ").map((type) => [type, (event) => handlers.current[type]?.(event)]);
    for (const [type, listener] of listeners) element.addEventListener(type, listener);
    return () => {
      for (const [type, listener] of listeners) element.removeEventListener(type, listener);
    };
  }, [types]);
  const api = props.api ?? wiring?.api;
  // Outside a provider, an element with an `api` loads the widget itself.
  useEffect(() => {
    if (api && !wiring) loadWidget(api).catch((e) => console.warn(`${tag}:`, e));
  }, [api, wiring]);
  const attributes = { ref, class: props.className, style: props.style };
  for (const name of names) {
    const value = props[name] ?? (COMMON.includes(name) ? wiring?.[name] : undefined);
    if (value !== undefined && value !== null) attributes[name] = String(value);
  }
  return [createElement(tag, attributes), attributes, ref];
}

const PRODUCTS = [...COMMON, "layout", "limit", "category", "featured", "search", "sort", "pagination", "controls"];

/** A product card of `<colmena-products>` as `{id, slug}`. */
const productOf = (card) => ({ id: card.getAttribute("data-product-id"), slug: card.getAttribute("data-product-slug") });
/** The product cards shown in `element` (open shadow root). */
const cardsOf = (element) => [...(element.shadowRoot?.querySelectorAll("[data-product-id]") ?? [])].map(productOf);

/** `<colmena-products>`: a grid, list or carousel of the store's products. */
export function ProductList(props) {
  const wiring = useContext(Wiring);
  const list = useRef({});
  const done = () => wiring?.setBusy(list.current, false);
  const [element, attributes, ref] = useColmenaElement("colmena-products", props, PRODUCTS, {
    click(event) {
      if (!props.onProductClick) return;
      const card = event.composedPath().find((node) => node instanceof Element && node.hasAttribute("data-product-id"));
      if (card) props.onProductClick(productOf(card), event);
    },
    "colmena:products-loaded"(event) {
      done();
      wiring?.setProducts(cardsOf(ref.current));
      props.onProductsLoaded?.(event.detail);
    },
    "colmena:add-to-cart": (event) => props.onAddToCart?.(event.detail),
    "colmena:error"(event) {
      done();
      props.onError?.(event.detail);
    },
  });
  // Every attribute change makes the element load again, ending in one of the two events.
  const query = PRODUCTS.map((name) => attributes[name] ?? "").join("\u0000");
  useEffect(() => {
    wiring?.setBusy(list.current, true);
    return () => wiring?.setBusy(list.current, false);
  }, [query, wiring]);
  return element;
}

/** `<colmena-product>`: one product (`product`: its slug or id) with its variant picker. */
export function ProductDetail(props) {
  return useColmenaElement("colmena-product", props, [...COMMON, "product"], {
    "colmena:add-to-cart": (event) => props.onAddToCart?.(event.detail),
    "colmena:error": (event) => props.onError?.(event.detail),
  })[0];
}

/** `<colmena-cart>`: the cart button and its drawer (lines, checkout, payment). */
export function Cart(props) {
  return useColmenaElement("colmena-cart", props, COMMON, {
    "colmena:checkout": (event) => props.onCheckout?.(event.detail),
    "colmena:error": (event) => props.onError?.(event.detail),
  })[0];
}

/** `<colmena-checkout-button>`: a checkout button opening the same drawer. */
export function CheckoutButton(props) {
  return useColmenaElement("colmena-checkout-button", props, COMMON, {
    "colmena:checkout": (event) => props.onCheckout?.(event.detail),
    "colmena:error": (event) => props.onError?.(event.detail),
  })[0];
}

/** `<colmena-banners>`: the store's banners and announcement (its own small bundle). */
export function Banners(props) {
  return useColmenaElement("colmena-banners", props, COMMON, {
    "colmena:error": (event) => props.onError?.(event.detail),
  })[0];
}
