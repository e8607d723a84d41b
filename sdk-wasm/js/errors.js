// Colmena's JS error classes. The Rust side picks the class by the SDK error's variant and hands
// over its fields; everything else about errors (codes, messages, retries) lives in Rust.

/** Base class of every error the client throws: `code` is stable across Rust, JS, Kotlin, Swift. */
export class ColmenaError extends Error {
  constructor(message, fields) {
    super(message);
    this.name = new.target.name;
    this.code = fields.code;
    this.status = fields.status ?? null;
    this.requestId = fields.requestId ?? null;
    this.details = fields.details ?? null;
  }
}
/** 404: the store, product, cart or order does not exist. */
export class NotFoundError extends ColmenaError {}
/** 409: not enough stock; `available` units of `variantId` can still be bought. */
export class InsufficientInventoryError extends ColmenaError {
  constructor(message, fields) { super(message, fields); this.available = fields.available; this.variantId = fields.variantId ?? null; }
}
/** 409: the total changed since the customer saw it; `currentTotal` is the new one. */
export class PriceChangedError extends ColmenaError {
  constructor(message, fields) { super(message, fields); this.currentTotal = fields.currentTotal ?? null; }
}
/** 429 after retries: wait `retryAfter` seconds. */
export class RateLimitedError extends ColmenaError {
  constructor(message, fields) { super(message, fields); this.retryAfter = fields.retryAfter ?? null; }
}
/** 401: missing, wrong or expired credentials. */
export class UnauthorizedError extends ColmenaError {}
/** 403: the credentials may not do this. */
export class ForbiddenError extends ColmenaError {}
/** 400/422: a field is invalid; `field` names it when known. */
export class ValidationError extends ColmenaError {
  constructor(message, fields) { super(message, fields); this.field = fields.field ?? null; }
}
/** 409: the resource is not in a state that allows this (e.g. a cart already checked out). */
export class ConflictError extends ColmenaError {}
/** 5xx after retries. */
export class ServerError extends ColmenaError {}
/** Any other refusal by the server; `code` says which. */
export class ApiError extends ColmenaError {}
/** The server could not be reached. */
export class NetworkError extends ColmenaError {}
/** The server did not answer in time. */
export class TimeoutError extends ColmenaError {}
/** The answer was not what the API promises. */
export class DecodeError extends ColmenaError {}
/** The call was refused before sending: an argument is invalid. */
export class InvalidRequestError extends ColmenaError {}
/** The saved cart could not be read or written. */
export class StorageError extends ColmenaError {}

const classes = {
  NotFoundError, InsufficientInventoryError, PriceChangedError, RateLimitedError, UnauthorizedError,
  ForbiddenError, ValidationError, ConflictError, ServerError, ApiError, NetworkError, TimeoutError,
  DecodeError, InvalidRequestError, StorageError,
};

/** Called from Rust: an instance of class `kind` (one of the names above). */
export function makeColmenaError(kind, message, fields) {
  return new (classes[kind] ?? ColmenaError)(message, fields);
}
