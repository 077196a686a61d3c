// POST /__simulator/tracking/{code}/events: a parcel moves on request, over HTTP and through the programmatic API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeForScenario, startSimulator, type Simulator } from "../../simulator/index.js";
import { cardToken, get, post } from "./helpers.js";

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, tokenRatePerSecond: 0 });
  token = await cardToken(sim);
});
afterAll(() => sim.close());

interface Answer {
  objetos: Array<{ codObjeto: string; mensagem?: string; eventos?: Array<{ codigo: string; tipo: string; dtHrCriado: string; descricao: string; unidade: unknown }> }>;
}
async function track(code: string): Promise<Answer["objetos"][number]> {
  const res = await get(sim, `/srorastro/v1/objetos?codigosObjetos=${code}&resultado=T`, token);
  return ((await res.json()) as Answer).objetos[0]!;
}

describe("appending tracking events", () => {
  it("puts the event on top of the history, timed now in Brasília, at the last event's unit", async () => {
    const code = codeForScenario("IN_TRANSIT", 41);
    const before = await track(code);
    const res = await post(sim, `/__simulator/tracking/${code}/events`, { codigo: "OEC", tipo: "01" });
    expect(res.status).toBe(201);
    const after = await track(code);
    expect(after.eventos).toHaveLength(before.eventos!.length + 1);
    const top = after.eventos![0]!;
    expect(top).toMatchObject({ codigo: "OEC", tipo: "01", descricao: "Objeto saiu para entrega ao destinatário", unidade: before.eventos![0]!.unidade });
    const brasiliaNow = new Date(Date.now() - 3 * 3600_000).toISOString().slice(0, 13);
    expect(top.dtHrCriado.slice(0, 13)).toBe(brasiliaNow);
    expect(after.eventos!.slice(1)).toEqual(before.eventos);
  });

  it("gives a code without history one (a parcel Correios did not know yet), and keeps events across reset", async () => {
    const code = codeForScenario("NOT_FOUND", 42);
    expect((await track(code)).mensagem).toMatch(/SRO-020/);
    sim.addTrackingEvent(code, { codigo: "PO", tipo: "1" });
    sim.reset();
    const after = await track(code);
    expect(after.mensagem).toBeUndefined();
    expect(after.eventos!.map((e) => `${e.codigo}/${e.tipo}`)).toEqual(["PO/01"]);
  });

  it("refuses a bad code or pair with 400", async () => {
    expect((await post(sim, `/__simulator/tracking/AA123/events`, { codigo: "BDE", tipo: "01" })).status).toBe(400);
    const code = codeForScenario("IN_TRANSIT", 43);
    const bad = await post(sim, `/__simulator/tracking/${code}/events`, { codigo: "B1", tipo: "01" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/codigo/);
    expect((await post(sim, `/__simulator/tracking/${code}/events`, { codigo: "BDE", tipo: "abc" })).status).toBe(400);
    expect((await post(sim, `/__simulator/tracking/${code}/events`, [1])).status).toBe(400);
  });
});
