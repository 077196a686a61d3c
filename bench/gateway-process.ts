// The gateway of the order-list scenario, in its own process: the orders example subgraph and the gateway in front
// of it and of the Correios subgraph (CORREIOS_SUBGRAPH_URL). Prints the gateway's URL as the first line of stdout.
import { startGateway } from "../examples/gateway.js";
import { startOrdersSubgraph } from "../examples/orders/server.js";

const correios = process.env.CORREIOS_SUBGRAPH_URL;
if (!correios) throw new Error("CORREIOS_SUBGRAPH_URL is required");
const orders = await startOrdersSubgraph({ orderCount: Number(process.env.ORDER_COUNT ?? 120) });
const gateway = await startGateway({
  subgraphs: [
    { name: "orders", url: orders.url },
    { name: "correios", url: correios },
  ],
  routerSecret: process.env.ROUTER_SECRET,
  defaultClientId: process.env.CLIENT_ID,
});
console.log(gateway.url);

const stop = () => void Promise.allSettled([gateway.close(), orders.close()]).then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
