// Colmena widget loader. The only hand-written JS: it registers the custom elements and hands
// each element to the Rust code (compiled to WebAssembly) that fetches and renders it.
import init, { renderProducts, Colmena, formatMoney } from "./colmena_widget.js";

const ready = init({ module_or_path: new URL("./colmena_widget_bg.wasm", import.meta.url) });

class ColmenaProducts extends HTMLElement {
  static observedAttributes = ["store", "api", "layout", "limit", "category", "featured", "search", "sort"];

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  /** Renders the element again; resolves once products (or an error message) are shown. */
  async render() {
    await ready;
    return renderProducts(this).catch((error) => {
      // The widget already shows the message and dispatched `colmena:error`.
      console.warn("colmena-products:", error);
    });
  }
}

if (!customElements.get("colmena-products")) {
  customElements.define("colmena-products", ColmenaProducts);
}

export { Colmena, formatMoney, ready };
