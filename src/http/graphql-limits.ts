// Per-operation limits, checked after validation and before any resolver runs: depth, cost, quotes, and the entity
// types `_entities` is asked for. Cost counts list arguments (a `shipments(codes: [...])` of 500 codes costs 500 times
// its selection, and so does an `_entities` of 500 representations), so one request cannot fan out into unbounded
// upstream work.
//
// One walk does it all, and it visits each fragment once (per runtime type), whatever the number of spreads: a
// document whose fragments each spread the previous one twice expands to 2^levels selections, and any walk that
// follows spreads (the old depth check, graphql-query-complexity's getComplexity) takes minutes on 30 levels.
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from "@apollo/server";
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isInputType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  typeFromAST,
  TypeNameMetaFieldDef,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

export interface LimitOptions {
  maxDepth: number;
  maxCost: number;
  /** Quotes (one per service of each `quotes` field) in one request. */
  maxQuotes: number;
  /** How many services a `quotes` field that names none is quoted for. */
  defaultQuoteServices: number;
}

/** Arguments whose list multiplies the cost of their field's selection. */
const LIST_ARGUMENTS = ["codes", "inputs", "representations"];

/** Past this, numbers stop meaning anything; it keeps 2^1000-sized documents from printing Infinity. */
const CEILING = Number.MAX_SAFE_INTEGER;

export interface OperationMeasure {
  depth: number;
  cost: number;
  quotes: number;
}

interface Work {
  cost: number;
  quotes: number;
}

const NONE: Work = { cost: 0, quotes: 0 };
const add = (a: number, b: number) => Math.min(CEILING, a + b);
const times = (a: number, b: number) => Math.min(CEILING, a * b);

/** The depth of an operation, each fragment measured once; __typename adds no nesting. */
export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        // Introspection (__schema, __type) counts like any field, so deep ofType chains are limited too.
        max = Math.max(max, s.name.value === "__typename" ? 0 : 1 + depthOf(s.selectionSet));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet));
      } else {
        const name = s.name.value;
        let d = memo.get(name);
        if (d === undefined) {
          memo.set(name, 0); // a cycle (refused by validation anyway) adds nothing
          d = depthOf(fragments.get(name)?.selectionSet);
          memo.set(name, d);
        }
        max = Math.max(max, d);
      }
    }
    return max;
  };
  return depthOf(operation.selectionSet);
}

/**
 * Cost and quote count of an operation for its variables (as sent, with the operation's defaults filled in: only list
 * lengths and booleans are read, so coercing them first would change nothing but cost a second coercion).
 * Cost: 1 per field plus its selection, times the
 * length of a list argument; an abstract type counts its costliest possible type. @skip/@include are honoured.
 */
export function operationWork(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  defaultQuoteServices: number,
): Work {
  const root = schema.getRootType(operation.operation);
  if (!root) return NONE;
  const fragments = fragmentsOf(document);
  const memo = new Map<string, Work>();

  const included = (node: SelectionNode): boolean => {
    if (!node.directives?.length) return true;
    try {
      if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
      return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
    } catch {
      return true; // a variable that does not coerce is refused by Apollo's own coercion
    }
  };
  const applies = (condition: string | undefined, type: GraphQLObjectType): boolean => {
    if (!condition || condition === type.name) return true;
    const t = schema.getType(condition);
    return t !== undefined && isAbstractType(t) && schema.isSubType(t, type);
  };

  const fieldWork = (node: FieldNode, type: GraphQLObjectType): Work => {
    const name = node.name.value;
    const def: GraphQLField<unknown, unknown> | undefined =
      name === "__typename" ? TypeNameMetaFieldDef : name === "__schema" ? SchemaMetaFieldDef : name === "__type" ? TypeMetaFieldDef : type.getFields()[name];
    if (!def) return NONE; // refused by validation
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(def, node, variables);
    } catch {
      // a literal that does not coerce is refused by validation
    }
    let child = NONE;
    const named = getNamedType(def.type);
    if (isCompositeType(named) && node.selectionSet) {
      const runtime = isObjectType(named) ? [named] : schema.getPossibleTypes(named);
      for (const t of runtime) {
        const w = setWork(node.selectionSet, t);
        child = { cost: Math.max(child.cost, w.cost), quotes: Math.max(child.quotes, w.quotes) };
      }
    }
    let multiplier = 1;
    for (const a of LIST_ARGUMENTS) {
      const v = args[a];
      if (Array.isArray(v)) multiplier = Math.max(1, v.length);
    }
    // Order.shippingQuotes quotes the default services for each order (each representation of an _entities call).
    const own =
      type === root && name === "quotes"
        ? quoteServices(args.input, defaultQuoteServices)
        : type.name === "Order" && name === "shippingQuotes"
          ? defaultQuoteServices
          : 0;
    return { cost: times(multiplier, add(1, child.cost)), quotes: add(own, times(multiplier, child.quotes)) };
  };

  const setWork = (set: SelectionSetNode, type: GraphQLObjectType): Work => {
    let cost = 0;
    let quotes = 0;
    for (const s of set.selections) {
      if (!included(s)) continue;
      let w = NONE;
      if (s.kind === Kind.FIELD) {
        w = fieldWork(s, type);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (applies(s.typeCondition?.name.value, type)) w = setWork(s.selectionSet, type);
      } else {
        const fragment = fragments.get(s.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type)) {
          const key = `${fragment.name.value}\u0000${type.name}`;
          let m = memo.get(key);
          if (m === undefined) {
            memo.set(key, NONE); // a cycle (refused by validation anyway) adds nothing
            m = setWork(fragment.selectionSet, type);
            memo.set(key, m);
          }
          w = m;
        }
      }
      cost = add(cost, w.cost);
      quotes = add(quotes, w.quotes);
    }
    return { cost, quotes };
  };

  return setWork(operation.selectionSet, root);
}

/** A `quotes` field prices each service it names (or the default set): that is how many Quote items it returns. */
function quoteServices(input: unknown, defaults: number): number {
  const services = (input as { services?: unknown } | undefined)?.services;
  return Array.isArray(services) ? Math.max(1, services.length) : defaults;
}

/**
 * The first representation whose __typename is not an entity of this subgraph. @apollo/subgraph would throw a plain
 * Error for it from inside the resolver (an internal error, failing the whole list); here it is the caller's mistake.
 */
function badRepresentation(schema: GraphQLSchema, representations: unknown): { index: number; typename: unknown } | undefined {
  if (!Array.isArray(representations)) return undefined;
  const entity = schema.getType("_Entity");
  const entities = new Set(entity && isAbstractType(entity) ? schema.getPossibleTypes(entity).map((t) => t.name) : []);
  for (let i = 0; i < representations.length; i++) {
    const r: unknown = representations[i];
    const typename = typeof r === "object" && r !== null ? (r as { __typename?: unknown }).__typename : undefined;
    if (typeof typename !== "string" || !entities.has(typename)) return { index: i, typename };
  }
  return undefined;
}

function entitiesFields(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  // _entities exists on Query only, so only the root selection set (and fragments spread into it) can hold it.
  const out: FieldNode[] = [];
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === "_entities") out.push(s);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        visit(s.selectionSet);
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) visit(f.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return out;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

function refuse(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, http: { status: 400 } } });
}

/**
 * Variables as sent, plus the defaults of the operation's variable definitions for those not sent. Values that do not
 * coerce are not looked at here: Apollo's own coercion answers 400 BAD_USER_INPUT for them before any resolver runs.
 */
function withDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode, sent: Record<string, unknown>): Record<string, unknown> {
  let variables = sent;
  for (const d of operation.variableDefinitions ?? []) {
    const name = d.variable.name.value;
    if (!d.defaultValue || name in sent) continue;
    const type = typeFromAST(schema, d.type);
    if (!type || !isInputType(type)) continue;
    if (variables === sent) variables = { ...sent };
    variables[name] = valueFromAST(d.defaultValue, type);
  }
  return variables;
}

export function limitsPlugin(opts: LimitOptions): ApolloServerPlugin {
  // An operation's depth does not depend on its variables; Apollo keeps parsed documents, so it is measured once.
  const depths = new WeakMap<OperationDefinitionNode, number>();
  // One listener for every request: nothing in it is per request.
  const listener: GraphQLRequestListener<BaseContext> = {
    async didResolveOperation({ request, document, schema, operation }) {
      if (!operation) return;
      let depth = depths.get(operation);
      if (depth === undefined) depths.set(operation, (depth = operationDepth(document, operation)));
      if (depth > opts.maxDepth) {
        throw refuse(`Query is ${depth} levels deep; the maximum is ${opts.maxDepth}.`, { code: "QUERY_TOO_DEEP", maxDepth: opts.maxDepth });
      }
      const variables = withDefaults(schema, operation, request.variables ?? {});
      const work = operationWork(schema, document, operation, variables, opts.defaultQuoteServices);
      if (work.cost > opts.maxCost) {
        throw refuse(`Query cost ${work.cost} exceeds the maximum of ${opts.maxCost}; ask for fewer items or fields.`, {
          code: "QUERY_TOO_COSTLY",
          cost: work.cost,
          maxCost: opts.maxCost,
        });
      }
      if (work.quotes > opts.maxQuotes) {
        throw refuse(
          `This request asks for ${work.quotes} quotes (one per service of each quotes field); the maximum is ${opts.maxQuotes}. Split it.`,
          { code: "TOO_MANY_QUOTES", quotes: work.quotes, maxQuotes: opts.maxQuotes },
        );
      }
      for (const field of entitiesFields(operation, fragmentsOf(document))) {
        const def = schema.getQueryType()?.getFields()._entities;
        if (!def) break;
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(def, field, variables);
        } catch {
          continue;
        }
        const bad = badRepresentation(schema, args.representations);
        if (bad) {
          const shown = typeof bad.typename === "string" ? `"${bad.typename.slice(0, 40)}"` : "none";
          throw refuse(`representations[${bad.index}].__typename must name an entity of this subgraph; got ${shown}.`, {
            code: "BAD_USER_INPUT",
            field: `representations[${bad.index}].__typename`,
          });
        }
      }
    },
  };
  return { requestDidStart: async () => listener };
}
