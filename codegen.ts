// Typed documents for the operations that tests, benchmarks and examples send, generated from schema.graphql.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  // The orders example joins in so the gateway operations under examples/operations type-check against both subgraphs.
  schema: ["schema.graphql", "test/federation-schema.graphql", "examples/orders/schema.graphql"],
  documents: ["test/operations/**/*.graphql", "bench/operations/**/*.graphql", "examples/operations/**/*.graphql"],
  ignoreNoDocuments: true,
  generates: {
    "test/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { emitLegacyCommonJSImports: false, useTypeImports: true, enumsAsTypes: true, scalars: { DateTimeISO: "string" } },
    },
  },
};

export default config;
