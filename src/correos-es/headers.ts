// The headers of a Correos (Spain) API call: the CorreosID bearer token, plus the API's own gateway pair when one is
// registered. Credentials travel only in headers: a URL ends up in proxy and server logs.

export interface CorreosEsApiPair {
  clientId: string;
  clientSecret: string;
}

export function correosEsHeaders(token: string, apiPair?: CorreosEsApiPair): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    ...(apiPair ? { client_id: apiPair.clientId, client_secret: apiPair.clientSecret } : {}),
  };
}
