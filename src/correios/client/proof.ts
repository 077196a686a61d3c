// Delivery-proof images ("comprovante eletrônico de entrega").
//
// [1] UNCONFIRMED: the path, the comma-separated `objetos` parameter, the 10-code limit and the answer fields
// {objeto, dataBaixa, contentType, imagemBase64} come from one source (the srorastro spec as summarised in
// danielbfs/correios-api-toolkit). Everything that depends on them is in this file and in CWS_PATHS.proofImages, so
// a correction is local. The asynchronous alternative (POST /srorastro/v1/objetos/imagens, then GET
// /srorastro/v1/recibo/{numero}) is not implemented.
import type { CorreiosHttpClient } from "../../upstream/http-client.js";
import { CWS_PATHS } from "./endpoints.js";
import { UpstreamError } from "../../upstream/errors.js";
import { localToOffset } from "./tracking.js";

export interface DeliveryProofImage {
  code: string;
  /** ISO 8601 with the Brasília offset, from dataBaixa. */
  deliveredAt?: string;
  mimeType: string;
  base64: string;
}

interface ArDigital {
  objeto?: string;
  dataBaixa?: string;
  contentType?: string;
  imagemBase64?: string;
}

/** The image type is not documented [?]; anything that is not a plain type/subtype is sent as opaque bytes. */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class ProofClient {
  constructor(
    private readonly http: CorreiosHttpClient,
    private readonly baseUrl: string,
  ) {}

  /**
   * One upstream call for up to PROOF_BATCH_SIZE codes (the caller chunks). Codes absent from the answer have no
   * proof (Correios leaves out parcels without one); they are missing from the returned map.
   */
  async fetchProofs(token: string, codes: string[], signal?: AbortSignal): Promise<Map<string, DeliveryProofImage>> {
    const res = await this.http.request<unknown>({
      api: "proof",
      method: "GET",
      url: `${this.baseUrl}${CWS_PATHS.proofImages}?objetos=${codes.map(encodeURIComponent).join(",")}`,
      headers: { authorization: `Bearer ${token}` },
      signal,
    });
    const body = res.body === undefined ? [] : res.body;
    if (!Array.isArray(body)) {
      throw new UpstreamError("BAD_RESPONSE", "proof", "Correios delivery-proof API answered without a list of images");
    }
    const wanted = new Set(codes);
    const out = new Map<string, DeliveryProofImage>();
    for (const item of body as ArDigital[]) {
      const code = typeof item?.objeto === "string" ? item.objeto.trim().toUpperCase() : "";
      const base64 = typeof item?.imagemBase64 === "string" ? item.imagemBase64.replace(/\s+/g, "") : "";
      if (!wanted.has(code) || base64 === "" || !BASE64.test(base64)) continue;
      const type = typeof item.contentType === "string" ? item.contentType.trim().toLowerCase() : "";
      out.set(code, {
        code,
        deliveredAt: localToOffset(item.dataBaixa),
        mimeType: MIME.test(type) ? type : "application/octet-stream",
        base64,
      });
    }
    return out;
  }
}
