import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "dist", "data", "bench/results", "test/generated", "coverage"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-exports": ["error", { restrictDefaultExports: { direct: true } }],
    },
  },
  { files: ["eslint.config.js", "vitest.config.ts", "codegen.ts"], rules: { "no-restricted-exports": "off" } },
  {
    // The admin console's browser modules (served as they are, see src/http/admin.ts): the browser globals they use.
    files: ["admin/**/*.js"],
    languageOptions: {
      globals: Object.fromEntries(
        ["window", "document", "location", "localStorage", "sessionStorage", "fetch", "setTimeout", "clearTimeout", "CSS", "URL", "Blob", "TextDecoder", "atob", "navigator", "crypto"].map((g) => [g, "readonly"]),
      ),
    },
  },
);
