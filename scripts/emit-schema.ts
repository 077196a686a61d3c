// Writes schema.graphql: the federation SDL this subgraph serves as `_service { sdl }`. A test fails when it drifts.
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { emitSubgraphSdl } from "../src/schema/sdl.js";

writeFileSync(new URL("../schema.graphql", import.meta.url), await emitSubgraphSdl());
console.log("schema.graphql written");
