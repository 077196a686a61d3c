// What every scenario receives: the settings, and the baseline of this run (measured once, on first use, with the
// same autocannon settings as the saturation measurements).
import { BenchTypenameDocument } from "../../test/generated/graphql.js";
import { print } from "graphql";
import { graphqlBody, load, type LoadResult } from "./load.js";
import { settingsFor, type BenchSettings } from "./settings.js";
import { sampleRss, startBaseline } from "./stack.js";

export interface BaselineFigures extends LoadResult {
  rssMb: number;
}

export interface BenchContext {
  settings: BenchSettings;
  /** The bare @apollo/server answering `{ __typename }` at `settings.connections`. */
  baseline(): Promise<BaselineFigures>;
  log(message: string): void;
}

export function createContext(given: Partial<BenchSettings> = {}, log: (m: string) => void = (m) => console.error(m)): BenchContext {
  const settings = settingsFor(given);
  let baseline: Promise<BaselineFigures> | undefined;
  return {
    settings,
    log,
    baseline: () => (baseline ??= measureBaseline(settings, log)),
  };
}

async function measureBaseline(s: BenchSettings, log: (m: string) => void): Promise<BaselineFigures> {
  log(`baseline: bare @apollo/server, ${s.connections} connections, ${s.duration} s`);
  const server = await startBaseline();
  try {
    const rss = sampleRss(server.pid);
    const r = await load({
      url: server.url,
      connections: s.connections,
      duration: s.duration,
      warmup: s.warmup,
      body: graphqlBody(print(BenchTypenameDocument)),
    });
    return { ...r, rssMb: rss.stop() };
  } finally {
    await server.close();
  }
}
