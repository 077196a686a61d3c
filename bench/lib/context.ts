// What every scenario receives: the settings, and the baseline of this run (measured once, on first use, with the
// same autocannon settings as the saturation measurements, best of two runs).
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
    const once = (warmup: number) =>
      load({ url: server.url, connections: s.connections, duration: s.duration, warmup, body: graphqlBody(print(BenchTypenameDocument)) });
    // Every ratio divides by this figure: the better of two runs, so a burst of other work on the machine during one
    // run does not flatter every scenario.
    const first = await once(s.warmup);
    const second = s.smoke ? first : await once(0);
    const best = second.reqPerSec > first.reqPerSec ? second : first;
    return { ...best, rssMb: rss.stop() };
  } finally {
    await server.close();
  }
}
