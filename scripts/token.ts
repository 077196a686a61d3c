// Prints a bearer JWT for local use: npm run token -- --role operator | --role client --client-id shop-1 [--expires 12h]
import { parseArgs } from "node:util";
import { signJwt } from "../src/http/auth.js";
import { loadConfig } from "../src/config.js";

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "operator" },
    "client-id": { type: "string" },
    expires: { type: "string", default: "12h" },
  },
});
if (values.role !== "operator" && values.role !== "client") {
  console.error("--role must be operator or client");
  process.exit(2);
}
if (values.role === "client" && !values["client-id"]) {
  console.error("--role client needs --client-id");
  process.exit(2);
}
const config = loadConfig();
console.log(await signJwt({ role: values.role, clientId: values["client-id"] }, config.authSecret, values.expires));
