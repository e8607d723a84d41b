// The JS client's own types, included in colmena.d.ts by src/api/mod.rs. The API contract's
// types (Product, Cart, Order, AdminProduct, …) are generated from the server's OpenAPI document
// into api-types.d.ts by scripts/build-wasm.sh, and re-exported from here.

export type * from "./api-types.js";
// The contract types the classes' signatures name (a missing one fails the type-check test).
import type {
  paths,
  AccessLinkRequest,
  AddCartItemRequest,
  AddressFormat,
  AdminProduct,
  AnalyticsSummary,
  ApiKey,
  ApiKeyRequest,
  AuditEntry,
  Cart,
  CartUpdate,
  Category,
  CategoryInput,
  CategoryPatch,
  CategoryTranslation,
  CategoryTranslationInput,
  ChatCatalog,
  ChatChannels,
  ChatInterpretRequest,
  ChatMessageRequest,
  ChatReply,
  ChatThread,
  ChatThreadRequest,
  Conversation,
  ConversationAnalytics,
  ConversationEvent,
  ConversationThread,
  ConversationUpdate,
  CheckoutRequest,
  CheckoutSession,
  Countries,
  CreateCartRequest,
  CreatedApiKey,
  CustomerGroup,
  CustomerGroupInput,
  CustomerSession,
  Discount,
  DiscountInput,
  Download,
  ErrorCode,
  ErrorDetails,
  Health,
  Interpretation,
  Invitation,
  InviteRequest,
  Money,
  CreateStoreRequest,
  CreatedStore,
  Order,
  OrderEvent,
  PlatformStore,
  Pagination,
  Product,
  ProductImage,
  ProductInput,
  ProductPatch,
  ProductTranslation,
  ProductTranslationInput,
  ProductType,
  ProductTypeInput,
  ProductTypePatch,
  PreviewToken,
  PriceList,
  PriceListInput,
  PublishRequest,
  Refund,
  RefundInput,
  Role,
  SearchFacets,
  SettingsPatch,
  Shipment,
  ShipmentInput,
  ShippingZone,
  ShippingZoneInput,
  Store,
  StoreSettings,
  StaffReply,
  StoreUser,
  Storefront,
  StorefrontAsset,
  StorefrontDraft,
  StorefrontVersion,
  TaxSettings,
  TestPaymentOutcome,
  TokenPair,
  TwilioChannel,
  TwilioChannelInput,
  VariantInput,
  VariantPatch,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointSecret,
  WhatsAppChannel,
  WhatsAppChannelInput,
} from "./api-types.js";

/** The query string of a `GET` route, as the OpenAPI document describes it. */
type QueryOf<Path extends keyof paths> = paths[Path] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

/** Filters, search, sort and paging of the product lists (`listProducts`, `products`). */
export type ProductListQuery = QueryOf<"/api/v1/stores/{store}/products">;
/** The words, filters, sort and paging of `search`; attribute filters as `{name, value}`
 * (`attribute=name:value` in the query string). */
export type SearchQuery = Omit<QueryOf<"/api/v1/stores/{store}/search">, "attribute"> & {
  attributes?: { name: string; value: string }[];
};
/** Filters and paging of `ColmenaPlatform.stores`. */
export type PlatformStoreQuery = QueryOf<"/api/v1/platform/stores">;

/** Filters and paging of `ColmenaAdmin.listOrders` and `orders`. */
export type OrderListQuery = QueryOf<"/api/v1/admin/stores/{store}/orders">;
/** The date range of `ColmenaAdmin.analytics`. */
export type AnalyticsQuery = QueryOf<"/api/v1/admin/stores/{store}/analytics">;
/** Filters and paging of `ColmenaAdmin.conversations`. */
export type ConversationQuery = QueryOf<"/api/v1/admin/stores/{store}/conversations">;
/** Filters and paging of `ColmenaAdmin.conversationEvents` (and `conversationEventsCsv`). */
export type ConversationEventQuery = Omit<QueryOf<"/api/v1/admin/stores/{store}/conversation-events">, "format">;
/** Filters and paging of `ColmenaAdmin.auditLog`. */
export type AuditQuery = QueryOf<"/api/v1/admin/stores/{store}/audit-log">;
/** Paging of `ColmenaAdmin.webhookDeliveries`. */
export type PageQuery = QueryOf<"/api/v1/admin/stores/{store}/webhooks/{endpointId}/deliveries">;

/** One page of a list: its items, and where it sits in the whole list. */
export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

/** One page of `search`: its products, the facets of every match, and where the page sits. */
export interface SearchPage {
  products: Product[];
  facets: SearchFacets;
  pagination: Pagination;
}

/** A digital item's file, as `Colmena.download` fetched it. */
export interface DownloadedFile {
  /** The file's name, from the order's download entry. */
  fileName: string;
  /** The media type the server sent, e.g. `application/pdf`. */
  contentType: string | null;
  bytes: Uint8Array;
}

/** Options of `ColmenaCart.open`. */
export interface CartOptions {
  /** The `localStorage` key; default `colmena:cart:<api>:<store>`. */
  key?: string;
  /** `"local"` (default): `localStorage`; `"memory"`: this page's or process's memory only. */
  storage?: "local" | "memory";
}

/** One line of the cart on this device, as the shopper sees it. */
export interface CartLine {
  variantId: string;
  productId: string;
  productName: string;
  /** E.g. `M / Amber`. */
  variantTitle: string;
  quantity: number;
  /** As last confirmed by the server (or as listed, before any sync). */
  unitPrice: Money;
  image?: ProductImage;
  /** Units left in stock when the server last said; absent when not tracked or unknown. */
  available?: number;
}

/** What a sync changed in the shopper's lines to match the server. */
export type CartChange =
  /** The unit price is no longer the one the shopper saw. */
  | { kind: "priceChanged"; variantId: string; was: Money; now: Money }
  /** Fewer units than asked for are in the cart (stock ran short). */
  | { kind: "quantityReduced"; variantId: string; requested: number; now: number }
  /** More units than are left: checkout fails until the quantity is lowered to `available`. */
  | { kind: "stockShort"; variantId: string; quantity: number; available: number }
  /** The line is gone: sold out, withdrawn, or the change was refused. */
  | { kind: "removed"; variantId: string; requested: number };

/** A change made on this device, on its way to the server. */
export type CartOperation =
  | { op: "add"; variantId: string; quantity: number }
  | { op: "setQuantity"; variantId: string; quantity: number }
  | { op: "remove"; variantId: string };

/** The outcome of a cart change or `sync()`. */
export interface SyncReport {
  changes: CartChange[];
  /** Changes the server refused, with why (e.g. an `InsufficientInventoryError`). */
  rejected: { operation: CartOperation; error: ColmenaError }[];
  /** Changes still waiting for the server. */
  pending: number;
  /** Why the server could not be reached, when changes are still pending. */
  offline: ColmenaError | null;
}

/** Codes of failures on the client's side, next to the API's `ErrorCode`s. */
export type ClientErrorCode = "INVALID_REQUEST" | "STORAGE_ERROR" | "NETWORK_ERROR" | "TIMEOUT" | "DECODE_ERROR";

/** What the error classes are made from (the client makes them; you only catch them). */
export interface ColmenaErrorFields {
  code: ErrorCode | ClientErrorCode;
  status?: number | null;
  requestId?: string | null;
  details?: ErrorDetails | null;
  available?: number;
  variantId?: string | null;
  currentTotal?: Money | null;
  retryAfter?: number | null;
  field?: string | null;
}

/** Base class of every error the client throws or rejects with. */
export declare class ColmenaError extends Error {
  constructor(message: string, fields: ColmenaErrorFields);
  /** Stable across Rust, JS, Kotlin and Swift: act on this, not on the message. */
  code: ErrorCode | ClientErrorCode;
  /** The HTTP status, when the server answered. */
  status: number | null;
  /** The request's id (sent as `X-Request-Id`, in the server's logs), for every call sent. */
  requestId: string | null;
  /** The server's structured context, e.g. the invalid parameter. */
  details: ErrorDetails | null;
}
/** 404: the store, product, cart or order does not exist. */
export declare class NotFoundError extends ColmenaError {}
/** 409: not enough stock; `available` units of `variantId` can still be bought. */
export declare class InsufficientInventoryError extends ColmenaError {
  available: number;
  variantId: string | null;
}
/** 409: the total changed since the customer saw it; `currentTotal` is the new one. */
export declare class PriceChangedError extends ColmenaError {
  currentTotal: Money | null;
}
/** 429 after retries: wait `retryAfter` seconds. */
export declare class RateLimitedError extends ColmenaError {
  retryAfter: number | null;
}
/** 401: missing, wrong or expired credentials. */
export declare class UnauthorizedError extends ColmenaError {}
/** 403: the credentials may not do this. */
export declare class ForbiddenError extends ColmenaError {}
/** 400: a parameter or field is invalid; `field` names it when known. */
export declare class ValidationError extends ColmenaError {
  field: string | null;
}
/** 409: the resource is not in a state that allows this (e.g. a cart already checked out). */
export declare class ConflictError extends ColmenaError {}
/** 5xx after retries. */
export declare class ServerError extends ColmenaError {}
/** Any other refusal by the server (`DOWNLOAD_EXPIRED`, `PAYLOAD_TOO_LARGE`, …); `code` says which. */
export declare class ApiError extends ColmenaError {}
/** The server could not be reached. */
export declare class NetworkError extends ColmenaError {}
/** The server did not answer in time. */
export declare class TimeoutError extends ColmenaError {}
/** The answer was not what the API promises. */
export declare class DecodeError extends ColmenaError {}
/** The call was refused before sending: an argument is invalid. */
export declare class InvalidRequestError extends ColmenaError {}
/** The saved cart could not be read or written. */
export declare class StorageError extends ColmenaError {}

/** What `verifyWebhookSignature` throws. */
export interface ColmenaWebhookError extends Error {
  name: "ColmenaWebhookError";
  code: "MALFORMED_HEADER" | "NO_SIGNATURE" | "TIMESTAMP_OUT_OF_TOLERANCE" | "SIGNATURE_MISMATCH";
}
