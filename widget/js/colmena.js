// Colmena widget loader. The only hand-written JS: it registers the custom elements and hands
// each element to the Rust code (compiled to WebAssembly) that fetches and renders it.
import init, { renderProducts } from "./colmena_widget.js";

const ready = init({ module_or_path: new URL("./colmena_widget_bg.wasm", import.meta.url) });

class ColmenaProducts extends HTMLElement {
  static observedAttributes = ["store", "api", "layout", "limit", "category", "featured", "search", "sort"];

  #pending = null;

  connectedCallback() {
    this.render();
  }

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
      return renderProducts(this).catch((error) => console.warn("colmena-products:", error));
    });
    return this.#pending;
  }
}

if (!customElements.get("colmena-products")) {
  customElements.define("colmena-products", ColmenaProducts);
}

export { ready };
