// Per-operation limits, checked after parsing and before any resolver runs: depth and cost. Cost counts list
// arguments (a `shipments(codes: [...])` of 500 codes costs 500 times its selection), so one request cannot fan out
// into unbounded upstream work.
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";

export interface LimitOptions {
  maxDepth: number;
  maxCost: number;
}

/** Fields whose list argument multiplies the cost of their selection. */
const LIST_ARGUMENTS = ["codes", "inputs"];

const listEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  for (const name of LIST_ARGUMENTS) {
    const v = args[name];
    if (Array.isArray(v)) return Math.max(1, v.length) * (1 + childComplexity);
  }
  return undefined;
};

export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        // __typename adds no nesting; introspection (__schema, __type) counts like any field, so deep ofType chains
        // are limited too.
        const inner = s.name.value === "__typename" ? 0 : 1 + depthOf(s.selectionSet, seen);
        max = Math.max(max, inner);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet, seen));
      } else {
        const name = s.name.value;
        if (seen.has(name)) continue;
        max = Math.max(max, depthOf(fragments.get(name)?.selectionSet, new Set([...seen, name])));
      }
    }
    return max;
  };
  let max = 0;
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && d.name?.value !== operationName) continue;
    max = Math.max(max, depthOf(d.selectionSet, new Set()));
  }
  return max;
}

export function limitsPlugin(opts: LimitOptions): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const depth = operationDepth(document, request.operationName);
          if (depth > opts.maxDepth) {
            throw new GraphQLError(`Query is ${depth} levels deep; the maximum is ${opts.maxDepth}.`, {
              extensions: { code: "QUERY_TOO_DEEP", maxDepth: opts.maxDepth, http: { status: 400 } },
            });
          }
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // Variables that do not coerce are left to Apollo's own coercion: it answers 400 BAD_USER_INPUT before any
            // resolver runs. Thrown from here, graphql-js' message (the whole value in it, secrets included) would be a 500.
            if (e instanceof GraphQLError) return;
            throw e;
          }
          if (cost > opts.maxCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the maximum of ${opts.maxCost}; ask for fewer items or fields.`, {
              extensions: { code: "QUERY_TOO_COSTLY", cost, maxCost: opts.maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
