// The subgraph SDL exactly as `_service { sdl }` serves it; schema.graphql is this text.
import { printSubgraphSchema } from "@apollo/subgraph";
import { buildSubgraph } from "./build.js";

export async function emitSubgraphSdl(): Promise<string> {
  return `${printSubgraphSchema(await buildSubgraph()).trim()}\n`;
}
