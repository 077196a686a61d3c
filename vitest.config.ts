import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 must be loaded once, or type-graphql and Apollo see two realms.
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { APOLLO_TELEMETRY_DISABLED: "true", LOG_LEVEL: "silent" },
  },
});
