import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, MSG, type Simulator } from "../../simulator/index.js";
import { DEMO, LOCAL_DATE_TIME, LOCAL_DATE_TIME_MS, NO_API, basic, cardToken, decodeJwtPayload, get, requestToken } from "./helpers.js";

describe("simulator token API", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
  });
  afterAll(() => sim.close());

  it("issues a 201 card token with the Correios fields, shaped as the manual's sample", async () => {
    const res = await requestToken(sim, DEMO);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ambiente: "PRODUCAO",
      id: "loja-demo",
      perfil: "PJ",
      cnpj: "12345678000190",
      cartaoPostagem: { numero: "0076770702", contrato: "9912420493", dr: 72, api: [27, 34, 35, 36, 41, 87] },
      api: [27, 34, 35, 36, 41, 87],
    });
    // The manual's sample has neither: the expiry is then the JWT's exp, and the contract sits in cartaoPostagem.
    expect(body).not.toHaveProperty("zoneOffset");
    expect(body).not.toHaveProperty("contrato");
    expect(body["emissao"]).toMatch(LOCAL_DATE_TIME);
    expect(body["expiraEm"]).toMatch(LOCAL_DATE_TIME);
    const issued = Date.parse(`${body["emissao"] as string}-03:00`);
    expect(Math.abs(issued - Date.now())).toBeLessThan(5_000);
    expect(Date.parse(`${body["expiraEm"] as string}-03:00`) - issued).toBe(86_400_000);

    const token = body["token"] as string;
    const [header] = token.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "RS512", typ: "JWT" });
    const payload = decodeJwtPayload(token);
    expect(payload).toMatchObject({ ambiente: "PRODUCAO", id: "loja-demo", pfl: "PJ", iss: "token-service" });
    expect((payload["exp"] as number) - (payload["iat"] as number)).toBe(86_400);
    expect(payload["cartao-postagem"]).toMatchObject({ numero: "0076770702", api: [27, 34, 35, 36, 41, 87] });
  });

  it("lists the card's APIs and the top-level ones apart, as the manual's sample does", async () => {
    const account = { login: "loja-manual-sim", accessCode: "M".repeat(40), card: "0070000012", apis: [93, 36, 83], loginApis: [93, 36, 54, 87] };
    sim.addAccount(account);
    const body = (await (await requestToken(sim, account)).json()) as { cartaoPostagem: { api: number[] }; api: number[]; token: string };
    expect(body.cartaoPostagem.api).toEqual([93, 36, 83]);
    expect(body.api).toEqual([93, 36, 54, 87]);
    // The gateway goes by the card's list, the one the token carries: no tracking here.
    expect((await get(sim, "/srorastro/v1/objetos/AA000000005BR", body.token)).status).toBe(403);
  });

  it("returns the same token until the renewal window, then a new one", async () => {
    expect(await cardToken(sim)).toBe(await cardToken(sim));
    const account = { login: "loja-short", accessCode: "S".repeat(40), card: "0070000004" };
    sim.addAccount(account);
    sim.setConfig({ tokenTtlSeconds: 600 }); // 600 s left < 1800 s window: every call renews
    try {
      const a = await cardToken(sim, account);
      const b = await cardToken(sim, account);
      expect(a).not.toBe(b);
    } finally {
      sim.setConfig({ tokenTtlSeconds: 86_400 });
    }
  });

  it("refuses bad credentials with 401 and a MessageResponse", async () => {
    const cases: Record<string, string>[] = [
      {},
      { Authorization: basic(DEMO.login, "wrong") },
      { Authorization: basic("nobody", DEMO.accessCode) },
      { Authorization: "Bearer something" },
    ];
    for (const headers of cases) {
      const res = await fetch(`${sim.url}/token/v1/autentica/cartaopostagem`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ numero: DEMO.card }),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body["msgs"]).toEqual([MSG.accessDenied]);
      expect(body).toMatchObject({ method: "POST", path: "/token/v1/autentica/cartaopostagem", causa: "Unauthorized" });
      expect(body["date"]).toMatch(LOCAL_DATE_TIME_MS);
    }
  });

  it("refuses unknown and foreign cards with 400", async () => {
    for (const card of ["76770702", "0000000001", "abc"]) {
      const res = await requestToken(sim, DEMO, card);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { msgs: string[] }).msgs).toEqual([MSG.cardNotFound]);
    }
    const res = await requestToken(sim, DEMO, NO_API.card);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { msgs: string[] }).msgs).toEqual([MSG.cardNotOwned]);
  });

  it("serves the login-only and contract variants", async () => {
    const plain = await fetch(`${sim.url}/token/v1/autentica`, { method: "POST", headers: { Authorization: basic(DEMO.login, DEMO.accessCode) } });
    expect(plain.status).toBe(201);
    expect(await plain.json()).not.toHaveProperty("cartaoPostagem");
    const byContract = await fetch(`${sim.url}/token/v1/autentica/contrato`, {
      method: "POST",
      headers: { Authorization: basic(DEMO.login, DEMO.accessCode), "Content-Type": "application/json" },
      body: JSON.stringify({ numero: DEMO.contract }),
    });
    expect(byContract.status).toBe(201);
    expect(await byContract.json()).toMatchObject({ contrato: { numero: DEMO.contract, dr: 72 } });
  });

  it("keeps production and homologation users apart", async () => {
    sim.addAccount({ login: "so-hom", accessCode: "H".repeat(40), card: "0070000001", environment: "HOMOLOGACAO" });
    const res = await requestToken(sim, { login: "so-hom", accessCode: "H".repeat(40), card: "0070000001" });
    expect(res.status).toBe(401);
  });

  it("revokes tokens and the old code when the access code is regenerated", async () => {
    const account = { login: "loja-regen", accessCode: "R".repeat(40), card: "0070000002" };
    sim.addAccount(account);
    const token = await cardToken(sim, account);
    expect((await get(sim, "/srorastro/v1/objetos/AA000000005BR", token)).status).toBe(200);

    const fresh = sim.regenerateAccessCode(account.login);
    expect(fresh).toMatch(/^[A-Za-z0-9]{40}$/);
    const refused = await get(sim, "/srorastro/v1/objetos/AA000000005BR", token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { msgs: string[] }).msgs).toEqual([MSG.invalidToken]);
    expect((await requestToken(sim, account)).status).toBe(401);
    const renewed = await cardToken(sim, { ...account, accessCode: fresh });
    expect(renewed).not.toBe(token);
  });

  it("expires tokens after their lifetime", async () => {
    const account = { login: "loja-ttl", accessCode: "T".repeat(40), card: "0070000003" };
    sim.addAccount(account);
    sim.setConfig({ tokenTtlSeconds: 1 });
    try {
      const token = await cardToken(sim, account);
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await get(sim, "/srorastro/v1/objetos/AA000000005BR", token)).status).toBe(401);
    } finally {
      sim.setConfig({ tokenTtlSeconds: 86_400 });
    }
  });
});

describe("simulator token rate limit", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it("answers 429 with Retry-After above 3 requests per second", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const res = await requestToken(sim, DEMO);
        return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as { msgs?: string[] } };
      }),
    );
    expect(statuses.filter((s) => s.status === 201)).toHaveLength(3);
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.retryAfter).toBe("1");
    expect(limited[0]!.body.msgs).toEqual([MSG.rateLimited]);
    expect(sim.counts().token).toBe(5);

    await new Promise((r) => setTimeout(r, 1_050));
    expect((await requestToken(sim, DEMO)).status).toBe(201);
  });
});
