import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CORREOS_ES_CLIENTS, startSimulator, type Simulator } from "../../simulator/index.js";
import { decodeJwtPayload } from "./helpers.js";

const PATH = "/Api/Authorize/Token";
const demo = DEFAULT_CORREOS_ES_CLIENTS[0]!;

describe("simulator CorreosID token", () => {
  let sim: Simulator;
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}${PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addCorreosEsClient({ clientId: "sleepy", clientSecret: "zzz", scopes: ["AP3"], active: false });
  });
  afterAll(() => sim.close());

  it("issues a token for the requested scopes", async () => {
    const res = await form({ grant_type: "client_credentials", client_id: demo.clientId, client_secret: demo.clientSecret, scope: "AP3 LBS" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { idToken: string; expiresIn: number; tokenType: string; scope: string };
    expect(body).toMatchObject({ expiresIn: 3600, tokenType: "Bearer", scope: "AP3 LBS" });
    const payload = decodeJwtPayload(body.idToken);
    expect(payload).toMatchObject({ sub: demo.clientId, scope: "AP3 LBS" });
    expect((payload["exp"] as number) - (payload["iat"] as number)).toBe(3600);
  });

  it("accepts HTTP Basic client authentication and shortens the lifetime with tokenTtlSeconds", async () => {
    sim.setConfig({ tokenTtlSeconds: 60 });
    try {
      const basic = `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}`;
      const res = await form({ grant_type: "client_credentials" }, { Authorization: basic });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ expiresIn: 60, scope: demo.scopes.join(" ") });
    } finally {
      sim.setConfig({ tokenTtlSeconds: 86_400 });
    }
  });

  it("refuses bad clients, inactive clients, foreign scopes and other grants", async () => {
    sim.reset();
    const wrong = await form({ grant_type: "client_credentials", client_id: demo.clientId, client_secret: "nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });

    const unknown = await form({ grant_type: "client_credentials", client_id: "ghost", client_secret: "x" });
    expect(unknown.status).toBe(401);

    const inactive = await form({ grant_type: "client_credentials", client_id: "sleepy", client_secret: "zzz" });
    expect(inactive.status).toBe(401);
    expect(await inactive.json()).toEqual({ error: "invalid_client", error_description: "Client not activated" });

    const scope = await form({ grant_type: "client_credentials", client_id: demo.clientId, client_secret: demo.clientSecret, scope: "AP3 XYZ" });
    expect(scope.status).toBe(400);
    expect(await scope.json()).toEqual({ error: "invalid_scope", error_description: "Scope not granted: XYZ" });

    const grant = await form({ grant_type: "password", client_id: demo.clientId, client_secret: demo.clientSecret });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: "unsupported_grant_type" });

    expect(sim.counts().correosEsToken).toBe(5);
  });
});
