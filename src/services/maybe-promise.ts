// A value that is ready now or later. Warm reads answer from memory without a promise, so the request's resolvers,
// and graphql-js after them, go on synchronously instead of through a chain of microtasks.
export type MaybePromise<T> = T | Promise<T>;

/** `f` applied to the value now if it is ready, or once it is. */
export function whenReady<T, U>(value: MaybePromise<T>, f: (v: T) => U): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}
