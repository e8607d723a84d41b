// The async iterator the list streams return: `next` is Rust's (it resolves to {done, value}),
// the rest makes the object usable in `for await (const item of …)`.

/** Called from Rust: an async iterator whose `next()` is `next`. */
export function asyncIterator(next) {
  return {
    next,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
