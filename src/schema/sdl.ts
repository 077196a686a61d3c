// The subgraph SDL exactly as `_service { sdl }` serves it (what rover or a router fetches); schema.graphql is this text.
import { graphql } from "graphql";
import { buildSubgraph } from "./build.js";

export async function emitSubgraphSdl(): Promise<string> {
  const res = await graphql({ schema: await buildSubgraph(), source: "{ _service { sdl } }" });
  const sdl = (res.data as { _service?: { sdl?: string } } | undefined)?._service?.sdl;
  if (!sdl) throw new Error(`could not read _service.sdl: ${JSON.stringify(res.errors)}`);
  return `${sdl.trim()}\n`;
}
