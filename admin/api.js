// The console's only way out: this server's /graphql and its download paths, with the JWT the user pasted. The token
// lives in sessionStorage (this tab only, gone when it closes), never in localStorage or a cookie.
const TOKEN_KEY = "correios-console.token";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** The token's claims as sent (role, clientId, exp), read without verifying: the server verifies on every call. */
export function claimsOf(jwt) {
  const part = jwt?.split(".")[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return claims && typeof claims === "object" ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** A GraphQL error the whole operation failed with (no data): unauthenticated, forbidden, upstream down, … */
export class OperationError extends Error {
  constructor(errors, status) {
    super(errors.map((e) => e.message).join("\n"));
    this.errors = errors;
    this.status = status;
    this.code = errors[0]?.extensions?.code;
  }
}

/** Sends one operation; answers { data, errors } and throws OperationError when there is no data at all. */
export async function gql(query, variables = {}) {
  const res = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token() ?? ""}` },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new OperationError([{ message: `HTTP ${res.status}` }], res.status);
  }
  if (!body.data && body.errors?.length) throw new OperationError(body.errors, res.status);
  return { data: body.data, errors: body.errors ?? [] };
}

/** Fetches a file this server serves behind the same auth (a label PDF) and answers it as a Blob. */
export async function download(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token() ?? ""}` } });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new OperationError(body.errors ?? [{ message: `HTTP ${res.status}` }], res.status);
  }
  return res.blob();
}
