// Types of @colmena/react: React components over Colmena's custom elements.
import type { CSSProperties, ReactElement, ReactNode } from "react";

/** The elements' colour schemes (`custom`: only the host page's CSS custom properties). */
export type Theme = "light" | "dark" | "auto" | "custom";

/** An amount in the currency's minor units (cents), with its ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

/** A product card as shown by a `<ProductList>`. */
export interface ProductRef {
  /** The product's id (a UUID). */
  id: string;
  slug: string;
}

/**
 * One line of the shopper's cart, as the widget keeps it: sdk-core's `CartLine`, the same shape
 * as `CartLine` of `@colmena/sdk` (whose declarations document each field).
 */
export interface CartLine {
  variantId: string;
  productId: string;
  productName: string;
  variantTitle: string;
  quantity: number;
  unitPrice: Money;
  image?: { url: string; alt: string; id?: string | null };
  available?: number;
}

/** The cart the elements show, kept current from `colmena:cart-change`. */
export interface CartState {
  /** Units in the cart. */
  itemCount: number;
  /** The lines' sum; `null` when the cart is empty. */
  subtotal: Money | null;
  /** Changes waiting for the server (made offline). */
  pending: number;
  /** True when the last change could not reach the server. */
  offline: boolean;
  /** The lines (empty when the widget has no cart API: see `addToCart`). */
  lines: CartLine[];
}

/** The `detail` of `colmena:error`: the widget's typed error. */
export interface ColmenaError extends Error {
  code: string;
  requestId?: string | null;
}

/** The `detail` of `colmena:add-to-cart`. */
export interface AddToCartDetail {
  productId: string;
  variantId: string;
  quantity: number;
}

/** The `detail` of `colmena:checkout`: the order once created, and again once paid. */
export interface CheckoutDetail {
  orderId: string;
  status: string;
  total: Money | null;
}

/** The `detail` of `colmena:products-loaded`. */
export interface ProductsLoadedDetail {
  /** Products matching the list's filters, over every page. */
  total: number;
  /** Products shown by this load. */
  count: number;
  offset: number;
}

/** The value of `useCommerce()`. */
export interface CommerceContextValue {
  /** The cards most recently shown by a `<ProductList>` of this provider. */
  products: ProductRef[];
  cart: CartState;
  /** True while the widget or a `<ProductList>`'s products are loading. */
  loading: boolean;
  /** The last `colmena:error` message (or failed action's), or `null`. */
  error: string | null;
  /**
   * Adds `quantity` (default 1) of a product (id or slug; its first variant) to the elements'
   * cart; resolves to the new item count. Rejects with `Error("needs widget cart API…")` when
   * the server's widget does not export `cart(store, api)`.
   */
  addToCart: (productId: string, quantity?: number) => Promise<number>;
  /** Removes the product's lines (or the line of a variant id); resolves to the item count. */
  removeFromCart: (productId: string) => Promise<number>;
  /**
   * Opens the drawer of a `<Cart>` or `<CheckoutButton>` of this store, where the shopper gives
   * an email and pays; resolves to the order's id once it is created. Rejects when the page has
   * neither element; stays pending while the shopper has not checked out.
   */
  checkout: () => Promise<string>;
}

/** The widget's cart of one store (`cart(store, api)` of the loader), shared with its elements. */
export interface ShopCart {
  readonly itemCount: number;
  lines(): CartLine[];
  subtotal(): Money | null;
  /** Resolves to the new item count. */
  add(product: string, variantId?: string | null, quantity?: number | null): Promise<number>;
  setQuantity(variantId: string, quantity: number): Promise<number>;
  remove(variantId: string): Promise<number>;
  /** Opens the drawer of the page's cart element of this store; false when there is none. */
  open(): boolean;
  /** Releases this handle (not the cart). */
  free(): void;
}

/** The loader module served at `${api}/widget/colmena.js`. */
export interface WidgetModule {
  ready: Promise<void>;
  ColmenaWidget: unknown;
  /** Absent from widgets built before the cart API. */
  cart?: (store: string, api?: string | null) => ShopCart;
}

/** Imports `${api}/widget/colmena.js` once per page; resolves when its WebAssembly is ready. */
export function loadWidget(api: string): Promise<WidgetModule>;

export interface CommerceProviderProps {
  /** The store's slug. */
  store: string;
  /** The Colmena server's base URL, e.g. `https://shop-api.example`. */
  api: string;
  /** Every element's default language (default: the store's). */
  locale?: string;
  /** Every element's default theme. */
  theme?: Theme;
  /** A storefront preview token (`sfp_…`): every element shows the store's unpublished draft. */
  preview?: string;
  children?: ReactNode;
}

/** Loads the widget and provides the store's products, cart and actions to its children. */
export function CommerceProvider(props: CommerceProviderProps): ReactElement;

/** The nearest `<CommerceProvider>`'s value; throws outside one. */
export function useCommerce(): CommerceContextValue;

/** Props of every component: `store`, `api`, `locale`, `theme` and `preview` default to the provider's. */
export interface ElementProps {
  store?: string;
  api?: string;
  locale?: string;
  theme?: Theme;
  preview?: string;
  className?: string;
  style?: CSSProperties;
  /** This element's `colmena:error`. */
  onError?: (error: ColmenaError) => void;
}

export interface ProductListProps extends ElementProps {
  category?: string;
  featured?: boolean;
  /** 1–100 per page. */
  limit?: number;
  layout?: "grid" | "list" | "carousel";
  search?: string;
  sort?: "name" | "price" | "-price" | "newest";
  pagination?: "pages" | "infinite";
  /** The search, category and sort controls (default true). */
  controls?: boolean;
  /** A click anywhere in a product's card (its name, image or add button). */
  onProductClick?: (product: ProductRef, event: MouseEvent) => void;
  onProductsLoaded?: (detail: ProductsLoadedDetail) => void;
  onAddToCart?: (detail: AddToCartDetail) => void;
}

export interface ProductDetailProps extends ElementProps {
  /** The product's slug or id. */
  product: string;
  onAddToCart?: (detail: AddToCartDetail) => void;
}

export interface CartProps extends ElementProps {
  onCheckout?: (detail: CheckoutDetail) => void;
}

/** `<colmena-products>`. */
export function ProductList(props: ProductListProps): ReactElement;
/** `<colmena-product>`. */
export function ProductDetail(props: ProductDetailProps): ReactElement;
/** `<colmena-cart>`. */
export function Cart(props: CartProps): ReactElement;
/** `<colmena-checkout-button>`. */
export function CheckoutButton(props: CartProps): ReactElement;
/** `<colmena-banners>`: the store's banners and announcement. */
export function Banners(props: ElementProps): ReactElement;
