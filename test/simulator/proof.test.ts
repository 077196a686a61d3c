import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeForScenario, startSimulator, type Simulator } from "../../simulator/index.js";
import { NO_API, cardToken, get } from "./helpers.js";

interface Proof {
  objeto: string;
  dataBaixa: string;
  contentType: string;
  imagemBase64: string;
}

describe("simulator delivery-proof API", () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ tokenRatePerSecond: 0 });
    token = await cardToken(sim);
  });
  afterAll(() => sim.close());

  it("returns an image only for delivered parcels, with the delivery time", async () => {
    const delivered = [codeForScenario("DELIVERED", 0), codeForScenario("DELIVERED", 4)];
    const others = [codeForScenario("IN_TRANSIT"), codeForScenario("NOT_FOUND"), codeForScenario("RETURNED"), "XX1"];
    const res = await get(sim, `/srorastro/v1/ar-digital?objetos=${[delivered[0], ...others, delivered[1]].join(",")}`, token);
    expect(res.status).toBe(200);
    const proofs = (await res.json()) as Proof[];
    expect(proofs.map((p) => p.objeto)).toEqual(delivered);

    const tracked = (await (await get(sim, `/srorastro/v1/objetos/${delivered[0]}`, token)).json()) as {
      objetos: { eventos: { codigo: string; tipo: string; dtHrCriado: string }[] }[];
    };
    const bde = tracked.objetos[0]!.eventos.find((e) => e.codigo === "BDE" && e.tipo === "01")!;
    expect(proofs[0]!.dataBaixa).toBe(bde.dtHrCriado);
    expect(proofs[0]!.contentType).toBe("image/png");
  });

  it("sends a real PNG", async () => {
    const [proof] = (await (await get(sim, `/srorastro/v1/ar-digital?objetos=${codeForScenario("DELIVERED")}`, token)).json()) as Proof[];
    const png = Buffer.from(proof!.imagemBase64, "base64");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString("ascii")).toBe("IDAT");
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe(height * (1 + width * 3));
    expect(png.subarray(-8, -4).toString("ascii")).toBe("IEND");
  });

  it("allows a card with no API and refuses more than 10 codes", async () => {
    const code = codeForScenario("DELIVERED");
    expect((await get(sim, `/srorastro/v1/ar-digital?objetos=${code}`, await cardToken(sim, NO_API))).status).toBe(200);
    const eleven = Array.from({ length: 11 }, (_, i) => codeForScenario("DELIVERED", i)).join(",");
    const res = await get(sim, `/srorastro/v1/ar-digital?objetos=${eleven}`, token);
    expect(res.status).toBe(400);
    expect((await get(sim, `/srorastro/v1/ar-digital?objetos=${code}`)).status).toBe(401);
  });
});
