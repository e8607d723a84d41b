// Colmena widget loader. The only hand-written JS: custom elements need a JS class, so this
// registers them and hands each element to the Rust code (WebAssembly) that renders it.

const loaderOrigin = new URL(import.meta.url).origin;
/** The public API of the element's store: its `api` attribute (else the loader's origin). */
const storeUrl = (element) =>
  `${(element.getAttribute("api") ?? loaderOrigin).replace(/\/+$/, "")}/api/v1/stores/${encodeURIComponent(element.getAttribute("store"))}`;

// A head start: the catalog reads of the products already on the page start now, while the
// wasm downloads and compiles. The Rust client takes an answer whose URL is exactly the one it
// would ask for (once, within 30 s); any other request goes out as usual.
const prefetched = (globalThis.__colmenaPrefetched ??= new Map());
for (const element of document.querySelectorAll("colmena-products[store]")) {
  const store = storeUrl(element);
  // The query as sdk-core writes it: limit (the widget's default is 20), category, featured, q, sort.
  const query = new URLSearchParams({ limit: element.getAttribute("limit") ?? "20" });
  for (const [attribute, name] of [["category", "category"], ["featured", "featured"], ["search", "q"], ["sort", "sort"]]) {
    if (element.hasAttribute(attribute)) query.append(name, element.getAttribute(attribute));
  }
  // The content language as the client asks for it: the locale attribute, else the store's own.
  const headers = { accept: "application/json", "accept-language": element.getAttribute("locale") || "*" };
  // Search text is searched (the search bundle takes that answer), a plain listing listed.
  const urls = [store, `${store}/${element.hasAttribute("search") ? "search" : "products"}?${query}`];
  if (element.getAttribute("controls") !== "false") urls.push(`${store}/categories`);
  for (const url of urls) {
    if (prefetched.has(url)) continue;
    // Aborted with the client's own per-attempt timeout, so a hung answer is retried normally.
    const pending = fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    pending.catch(() => {}); // a failure is the client's to report, if it takes this answer
    prefetched.set(url, pending);
    setTimeout(() => prefetched.delete(url), 30_000);
  }
}

// Everything the widget needs is requested at once: the wasm (compiled while it streams in) and
// both JS modules. Static imports would fetch them one after another (this file, the glue, its
// error classes, then the wasm). scripts/build-wasm.sh fills in the error classes' path.
const wasmUrl = new URL("./colmena_widget_bg.wasm", import.meta.url);
const compiled = WebAssembly.compileStreaming(fetch(wasmUrl))
  // A server that sends the wasm without `application/wasm`: compile from the bytes instead.
  .catch(() => fetch(wasmUrl).then((response) => response.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes)));
const [widget, { makeColmenaError }] = await Promise.all([import("./colmena_widget.js"), import("./ERRORS_MODULE")]);

/**
 * Instantiates a bundle's wasm and sets it up (the default API, and `argument`: the error
 * classes, or for the widget its on-demand bundles' entry points, `more`); resolves to the
 * bundle and the stylesheets of its elements: `base`, then its own, made once and shared by the
 * shadow roots of all its elements.
 */
const start = (bundle, wasm, base = [], argument = makeColmenaError, ...more) => bundle.default({ module_or_path: wasm }).then(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(bundle.setup(loaderOrigin, argument, ...more));
  return [bundle, [...base, sheet]];
});
// The checkout, search with its filters, and the chat are bundles of their own too, each fetched
// when a shopper first needs it: a checkout started (or a return from a payment page), a search
// or the filters opened, a <colmena-chat> opened. The widget hands each its options (with the
// element, `host`) and, for the checkout and the chat, a panel to render into; their stylesheets
// are adopted after the widget's by every element from then on.
const lazySheets = [];
const onDemand = (name, entry) => {
  let pending;
  return (...args) => {
    // A failed fetch is forgotten, so that the shopper's next try fetches again.
    pending ??= Promise.all([import(`./colmena_${name}.js`), loaded])
      .then(([bundle, [, base]]) => start(bundle, undefined, base))
      .then(([bundle, sheets]) => (lazySheets.push(sheets.at(-1)), bundle))
      .catch((error) => { pending = undefined; throw error; });
    return pending.then((bundle) => {
      args.at(-1).host.restyle();
      return bundle[entry](...args);
    });
  };
};
const loaded = start(widget, compiled, [], onDemand("checkout", "open"), onDemand("search", "search"), onDemand("chat", "open"));
// <colmena-banners> is its own small bundle, fetched when the first one is rendered; it builds on
// the widget's stylesheet (its `--colmena-*` defaults, focus rings, errors).
let banners;
const bundleOf = (tag) => tag === "colmena-banners"
  ? (banners ??= Promise.all([import("./colmena_banners.js"), loaded]).then(([bundle, [, base]]) => start(bundle, undefined, base)))
  : loaded;

// The store's theme: `theme.css` from the server (the published theme, or the draft's for a
// `preview` token), one constructed stylesheet per URL, shared by the elements that use it.
// A sheet that fails to load stays empty: the widget's default look, never the published theme
// in place of a refused preview. None without a store: the element only shows that mistake.
const themes = {};
const themeOf = (element) => {
  if (!element.hasAttribute("store")) return [];
  const preview = element.getAttribute("preview");
  const url = `${storeUrl(element)}/storefront/theme.css${preview ? `?preview=${encodeURIComponent(preview)}` : ""}`;
  const sheet = (themes[url] ??= new CSSStyleSheet());
  sheet.loading ??= fetch(url)
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((css) => sheet.replaceSync(css), (error) => console.warn(url, error));
  return [sheet];
};

const common = ["store", "api", "locale", "theme", "preview"];
const elements = {
  "colmena-products": [...common, "layout", "limit", "category", "featured", "search", "sort", "pagination", "controls"],
  "colmena-product": [...common, "product"],
  "colmena-cart": common,
  "colmena-checkout-button": common,
  "colmena-banners": common,
  "colmena-chat": common,
};

for (const [tag, attributes] of Object.entries(elements)) {
  if (customElements.get(tag)) continue;
  customElements.define(tag, class extends HTMLElement {
    static observedAttributes = attributes;
    #pending = null;
    #sheets = [];

    connectedCallback() { this.render(); }

    disconnectedCallback() { bundleOf(tag).then(([bundle]) => this.isConnected || bundle.unmount?.(this)); }

    attributeChangedCallback() {
      // On upgrade this fires once per attribute before connectedCallback; render() coalesces.
      if (this.isConnected) this.render();
    }

    /** The bundle attaches the shadow root: it gets the bundle's stylesheets, then the store's theme. */
    attachShadow(init) {
      const root = super.attachShadow(init);
      this.restyle(root);
      return root;
    }

    /**
     * Adopts the stylesheets into the shadow root (again once an on-demand bundle's has loaded). The
     * theme goes after the bundles' sheets, so it overrides their defaults; the page's own
     * `--colmena-*` properties on the element override all.
     */
    restyle(root = this.shadowRoot) {
      if (root) root.adoptedStyleSheets = [...this.#sheets, ...lazySheets, ...themeOf(this)];
    }

    /** Renders the element again (once, however many attributes changed in this task). */
    render() {
      // The theme's request goes out now, while the wasm may still be on its way.
      themeOf(this);
      this.#pending ??= Promise.resolve().then(async () => {
        this.#pending = null;
        let bundle;
        [bundle, this.#sheets] = await bundleOf(tag);
        // The store, API or preview token may have changed.
        this.restyle();
        // Rust shows the message and dispatches `colmena:error` itself on failure.
        return bundle.mount(this, tag).catch((error) => console.warn(`${tag}:`, error));
      });
      return this.#pending;
    }
  });
}

export const ready = loaded.then(() => {});
export const { ColmenaWidget, cart } = widget;
