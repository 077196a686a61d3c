// Runs the subgraph as its own process (what `npm start` runs), for tests that kill and restart it.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface SubgraphProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `nodeArgs` go before the script, e.g. `--cpu-prof` for the benchmarks' profile. `compiled` runs the build in dist/
 * (`npm run build`, what production runs) instead of the TypeScript sources under tsx (what `npm start` runs).
 */
export async function startSubgraphProcess(env: Record<string, string>, nodeArgs: string[] = [], compiled = false): Promise<SubgraphProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const entry = compiled ? ["dist/index.js"] : ["--import", "tsx", "src/index.ts"];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    env: { ...process.env, LOG_LEVEL: "warn", HOST: "127.0.0.1", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`subgraph exited with ${child.exitCode}: ${out}`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Not left running behind a failed test (it could hold the port, the store's files or a CPU).
      child.kill("SIGKILL");
      throw new Error(`subgraph did not start in 30 s: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `${url}/graphql`,
    child,
    output: () => out,
    kill: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
