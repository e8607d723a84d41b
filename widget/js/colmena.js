// Colmena widget loader. The only hand-written JS: custom elements need a JS class, so this
// registers them and hands each element to the Rust code (WebAssembly) that renders it.

// A head start: the catalog reads of the products already on the page start now, while the
// wasm downloads and compiles. The Rust client takes an answer whose URL is exactly the one it
// would ask for (once, within 30 s); any other request goes out as usual.
const loaderOrigin = new URL(import.meta.url).origin;
const prefetched = (globalThis.__colmenaPrefetched ??= new Map());
for (const element of document.querySelectorAll("colmena-products[store]")) {
  const api = (element.getAttribute("api") ?? loaderOrigin).replace(/\/+$/, "");
  const store = `${api}/api/v1/stores/${encodeURIComponent(element.getAttribute("store"))}`;
  // The query as sdk-core writes it: limit (the widget's default is 20), category, featured, q, sort.
  const query = new URLSearchParams({ limit: element.getAttribute("limit") ?? "20" });
  for (const [attribute, name] of [["category", "category"], ["featured", "featured"], ["search", "q"], ["sort", "sort"]]) {
    if (element.hasAttribute(attribute)) query.append(name, element.getAttribute(attribute));
  }
  // The content language as the client asks for it: the locale attribute, else the store's own.
  const headers = { accept: "application/json", "accept-language": element.getAttribute("locale") || "*" };
  const urls = [store, `${store}/products?${query}`];
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
const [{ default: init, mount, unmount, setDefaultApi, ColmenaWidget, cart }] = await Promise.all([
  import("./colmena_widget.js"),
  import("./ERRORS_MODULE"),
]);

const ready = init({ module_or_path: compiled }).then(() => setDefaultApi(loaderOrigin));

const common = ["store", "api", "locale", "theme"];
const elements = {
  "colmena-products": [...common, "layout", "limit", "category", "featured", "search", "sort", "pagination", "controls"],
  "colmena-product": [...common, "product"],
  "colmena-cart": common,
  "colmena-checkout-button": common,
};

for (const [tag, attributes] of Object.entries(elements)) {
  if (customElements.get(tag)) continue;
  customElements.define(tag, class extends HTMLElement {
    static observedAttributes = attributes;
    #pending = null;

    connectedCallback() { this.render(); }

    disconnectedCallback() { ready.then(() => this.isConnected || unmount(this)); }

    attributeChangedCallback() {
      // On upgrade this fires once per attribute before connectedCallback; render() coalesces.
      if (this.isConnected) this.render();
    }

    /** Renders the element again (once, however many attributes changed in this task). */
    render() {
      this.#pending ??= Promise.resolve().then(async () => {
        this.#pending = null;
        await ready;
        // Rust shows the message and dispatches `colmena:error` itself on failure.
        return mount(this, tag).catch((error) => console.warn(`${tag}:`, error));
      });
      return this.#pending;
    }
  });
}

export { ready, ColmenaWidget, cart };
