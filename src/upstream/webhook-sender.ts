// Sends one webhook to a URL a client gave us, safely: the URL is untrusted, so it must not reach our own network.
// - https only (http too when private URLs are allowed, for tests and demos);
// - the name is resolved here and every address it gives must be public unicast (ipaddr.js ranges: loopback,
//   private, link-local with the metadata address 169.254.169.254, CGNAT, unique-local with fd00:ec2::254,
//   multicast, unspecified, reserved… are refused); the socket connects to the address checked, through the
//   request's own `lookup`, so a second DNS answer (rebinding) never gets a say;
// - no redirect is followed, no connection reused (each attempt resolves afresh), the answer's body is read up to
//   64 KB and dropped, and one deadline covers DNS, connect, headers and body.
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export interface WebhookSendOptions {
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: http and every address allowed. */
  allowPrivate: boolean;
}

export interface WebhookResponse {
  /** null when no answer came. */
  statusCode: number | null;
  durationMs: number;
  /** What went wrong (refused address, timeout, status); null on a 2xx. */
  error: string | null;
  success: boolean;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_URL_LENGTH = 2048;

/** The name of the range an address falls in when it is not public unicast; null when it may be called. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  const ip = ipaddr.process(address); // an IPv4-mapped IPv6 address is judged as the IPv4 address it is
  const range = ip.range();
  return range === "unicast" ? null : range;
}

/**
 * What is wrong with a URL before any DNS (null when nothing is). At creation, names of this machine (localhost) are
 * refused too; at delivery (`byName: false`) the resolved addresses decide, whatever the name.
 */
export function urlProblem(raw: string, allowPrivate: boolean, byName = true): string | null {
  if (typeof raw !== "string" || raw.length > MAX_URL_LENGTH) return `A webhook URL has at most ${MAX_URL_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return "This is not a URL.";
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) return "A webhook URL must use https.";
  if (url.username || url.password) return "A webhook URL must not carry a user name or password.";
  if (!url.hostname) return "A webhook URL needs a host.";
  if (allowPrivate) return null;
  const host = bareHost(url.hostname);
  if (isIP(host)) {
    const range = refusedRange(host);
    if (range) return `A webhook URL must not point at a ${describe(range)} address (${host}).`;
  } else if (byName && /(^|\.)localhost\.?$/.test(host)) {
    return "A webhook URL must not point at this machine (localhost).";
  }
  return null;
}

function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

function describe(range: string): string {
  return range.replace(/([A-Z])/g, " $1").toLowerCase();
}

class RefusedAddressError extends Error {}

/** A `lookup` for http.request that resolves once, refuses non-public addresses and hands back only checked ones. */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as Array<{ address: string; family: number }>;
      if (!list.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      if (!allowPrivate) {
        for (const a of list) {
          const range = refusedRange(a.address);
          if (range) return callback(new RefusedAddressError(`${hostname} resolves to a ${describe(range)} address (${a.address}): refused`), "", 0);
        }
      }
      // Called with all: true under Happy Eyeballs (autoSelectFamily), with one address otherwise.
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export function sendWebhook(rawUrl: string, headers: Record<string, string>, body: string, o: WebhookSendOptions): Promise<WebhookResponse> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): WebhookResponse => ({
    statusCode,
    durationMs: Math.round(performance.now() - started),
    error,
    success: error === null && statusCode !== null && statusCode >= 200 && statusCode < 300,
  });
  const problem = urlProblem(rawUrl, o.allowPrivate, false);
  if (problem) return Promise.resolve(done(null, problem));
  // An IP literal is connected to without calling lookup: urlProblem has checked it.
  const url = new URL(rawUrl.trim());
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: WebhookResponse) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
      agent: false,
      lookup: checkedLookup(o.allowPrivate),
    });
    const deadline = setTimeout(() => {
      finish(done(null, `no answer within ${o.timeoutMs} ms`));
      request.destroy();
    }, o.timeoutMs);
    deadline.unref();
    request.on("response", (res) => {
      const status = res.statusCode ?? 0;
      let error: string | null = null;
      if (status >= 300 && status < 400) error = `answered ${status} (a redirect, not followed)`;
      else if (status < 200 || status >= 300) error = `answered ${status}`;
      finish(done(status, error));
      // The answer's body is not used: drained up to the cap, then the connection is dropped.
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on("error", () => undefined);
      res.on("close", () => {
        clearTimeout(deadline);
        request.destroy();
      });
    });
    request.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      finish(done(null, e instanceof RefusedAddressError ? e.message : networkError(e)));
    });
    request.end(body);
  });
}

function networkError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name did not resolve";
    case "ECONNRESET":
      return "the connection was reset";
    case "CERT_HAS_EXPIRED":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `TLS certificate refused (${e.code})`;
    default:
      return e.code ? `network error (${e.code})` : "network error";
  }
}
