// Webhook endpoints and deliveries: types, inputs, payloads and resolvers. Authorization as for credentials: a client
// manages its own endpoints; an operator may act for any client (naming it, or by the endpoint's id).
import { Arg, Ctx, Directive, Field, GraphQLISODateTime, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, UseMiddleware, registerEnumType } from "type-graphql";
import { WEBHOOK_EVENT_TYPES } from "../services/notifications/change.js";
import type { DeliveryAttempt as StoredAttempt, StoredDelivery, StoredEndpoint } from "../store/webhooks.js";
import { actingClient, readerScope } from "./access.js";
import { requireAccessTo, type Context } from "./context.js";
import { MapErrors } from "./map-errors.js";
import { UserError } from "./payload.js";
import { AUTHENTICATED, OPERATOR_OR_CLIENT } from "./scopes.js";
import { page, PageInfo } from "./posting.js";

export const WebhookEventType = Object.fromEntries(WEBHOOK_EVENT_TYPES.map((t) => [t, t])) as { [K in (typeof WEBHOOK_EVENT_TYPES)[number]]: K };
registerEnumType(WebhookEventType, {
  name: "WebhookEventType",
  description: "What an endpoint subscribes to. Each change is sent once per endpoint, typed with the most specific type it asked for.",
  valuesConfig: {
    SHIPMENT_UPDATED: { description: "Any new event of a watched parcel (shipment.updated)." },
    SHIPMENT_STATUS_CHANGED: { description: "Its status changed (shipment.status_changed)." },
    SHIPMENT_DELIVERED: { description: "It was delivered (shipment.delivered)." },
    SHIPMENT_DELIVERY_FAILED: { description: "A delivery attempt failed (shipment.delivery_failed)." },
    SHIPMENT_AWAITING_PICKUP: { description: "It waits at a post office (shipment.awaiting_pickup)." },
    SHIPMENT_RETURNED: { description: "It is going back to the sender (shipment.returned)." },
  },
});

export enum WebhookEndpointStatus {
  ACTIVE = "ACTIVE",
  DISABLED = "DISABLED",
}
registerEnumType(WebhookEndpointStatus, { name: "WebhookEndpointStatus" });

export enum WebhookDisabledReason {
  GONE = "GONE",
  FAILING = "FAILING",
}
registerEnumType(WebhookDisabledReason, {
  name: "WebhookDisabledReason",
  valuesConfig: {
    GONE: { description: "The receiver answered 410 Gone." },
    FAILING: { description: "Every attempt failed for WEBHOOK_DISABLE_AFTER_HOURS (24 h by default)." },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  FAILED = "FAILED",
}
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  valuesConfig: {
    PENDING: { description: "Not yet answered with a 2xx; another attempt is scheduled." },
    DELIVERED: { description: "A 2xx answered an attempt." },
    FAILED: { description: "Given up: the retry schedule ran out, or the endpoint was disabled or removed." },
  },
});

export enum WebhookAttemptTrigger {
  SCHEDULED = "SCHEDULED",
  REDELIVERY = "REDELIVERY",
}
registerEnumType(WebhookAttemptTrigger, { name: "WebhookAttemptTrigger" });

@ObjectType({ simpleResolvers: true, description: "Where a client's shipment changes are sent. Its signing secret is shown only when made." })
export class WebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field(() => ID) clientId!: string;
  @Field(() => String) url!: string;
  @Field(() => [WebhookEventType]) events!: string[];
  @Field(() => WebhookEndpointStatus) status!: WebhookEndpointStatus;
  @Field(() => WebhookDisabledReason, { nullable: true }) disabledReason!: WebhookDisabledReason | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) disabledAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "The first failure since the last success, while deliveries fail." })
  failingSince!: Date | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => GraphQLISODateTime, { description: "When the current secret was made." }) secretCreatedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "After a rotation: when the previous secret stops signing." })
  previousSecretExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

const date = (s: string | undefined) => (s ? new Date(s) : null);

export function toEndpoint(e: StoredEndpoint, now = Date.now()): WebhookEndpoint {
  const previous = e.secrets.slice(1).find((s) => s.expiresAt && Date.parse(s.expiresAt) > now);
  return {
    id: e.id,
    clientId: e.clientId,
    url: e.url,
    events: e.events,
    status: e.status as WebhookEndpointStatus,
    disabledReason: (e.disabledReason as WebhookDisabledReason | undefined) ?? null,
    disabledAt: date(e.disabledAt),
    failingSince: date(e.failingSince),
    description: e.description,
    secretCreatedAt: new Date(e.secrets[0]!.createdAt),
    previousSecretExpiresAt: date(previous?.expiresAt),
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(e.updatedAt),
  };
}

@ObjectType({ simpleResolvers: true, description: "One POST to the endpoint. Never holds the secret or the signature." })
export class WebhookDeliveryAttempt {
  @Field(() => Int) number!: number;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => Int) durationMs!: number;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when none came (timeout, refused address)." })
  statusCode!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Boolean) success!: boolean;
  @Field(() => WebhookAttemptTrigger) trigger!: WebhookAttemptTrigger;
}

@ObjectType({ simpleResolvers: true, description: "One message to one endpoint, with every attempt to send it." })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => String, { description: "The webhook-id header: the same on every attempt and redelivery." }) messageId!: string;
  @Field(() => String, { description: "The body's type, e.g. shipment.delivered or webhook.test." }) type!: string;
  @Field(() => String, { nullable: true, description: "The tracking code, for shipment events." }) code!: string | null;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => String, { nullable: true, description: "Why it is FAILED." }) reason!: string | null;
  @Field(() => String, { description: "The JSON body sent on every attempt." }) payload!: string;
  @Field(() => [WebhookDeliveryAttempt], { description: "Oldest first (the newest 50)." }) attempts!: WebhookDeliveryAttempt[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deliveredAt!: Date | null;
}

const toAttempt = (a: StoredAttempt): WebhookDeliveryAttempt => ({ ...a, at: new Date(a.at), trigger: a.trigger as WebhookAttemptTrigger });

export function toDelivery(d: StoredDelivery): WebhookDelivery {
  return {
    id: d.id,
    endpointId: d.endpointId,
    messageId: d.messageId,
    type: d.type,
    code: d.code,
    status: d.status as WebhookDeliveryStatus,
    reason: d.reason ?? null,
    payload: d.payload,
    attempts: d.attempts.map(toAttempt),
    createdAt: new Date(d.createdAt),
    nextAttemptAt: date(d.status === "PENDING" ? d.nextAttemptAt : undefined),
    deliveredAt: date(d.deliveredAt),
  };
}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => WebhookDelivery) node!: WebhookDelivery;
}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => ID, { nullable: true, description: "The client it belongs to (required for an operator; a client token may omit it)." })
  clientId?: string | null;
  @Field(() => String, { description: "https URL the events are POSTed to." }) url!: string;
  @Field(() => [WebhookEventType]) events!: string[];
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType()
export class WebhookEndpointRefInput {
  @Field(() => ID, { nullable: true }) clientId?: string | null;
  @Field(() => ID) endpointId!: string;
}

@ObjectType({ simpleResolvers: true })
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true }) endpoint!: WebhookEndpoint | null;
  @Field(() => String, {
    nullable: true,
    description: "The signing secret (whsec_…), on create and rotate only: shown this once, never again. Verify with any Standard Webhooks library.",
  })
  secret!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class RemoveWebhookEndpointPayload {
  @Field(() => ID) endpointId!: string;
  @Field(() => Boolean) removed!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryPayload {
  @Field(() => WebhookDelivery, { nullable: true }) delivery!: WebhookDelivery | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

/** Whose endpoints a call may touch: the named client (checked), or the caller's own; undefined = any (operators). */
function scopeOf(ctx: Context, clientId: string | null | undefined): string | undefined {
  const given = typeof clientId === "string" ? clientId.trim() : "";
  if (given) {
    requireAccessTo(ctx, given);
    return given;
  }
  return readerScope(ctx);
}

const endpointPayload = (r: { endpoint: StoredEndpoint | null; secret: string | null; userErrors: UserError[] }): WebhookEndpointPayload => ({
  endpoint: r.endpoint ? toEndpoint(r.endpoint) : null,
  secret: r.secret,
  userErrors: r.userErrors,
});

const deliveryPayload = (r: { delivery: StoredDelivery | null; userErrors: UserError[] }): WebhookDeliveryPayload => ({
  delivery: r.delivery ? toDelivery(r.delivery) : null,
  userErrors: r.userErrors,
});

@Resolver(() => WebhookEndpoint)
@UseMiddleware(MapErrors)
export class WebhookResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => [WebhookEndpoint], { description: "A client's webhook endpoints (an operator without clientId sees every client's)." })
  async webhookEndpoints(@Ctx() ctx: Context, @Arg("clientId", () => ID, { nullable: true }) clientId?: string | null): Promise<WebhookEndpoint[]> {
    return (await ctx.services.webhooks.endpoints.list(scopeOf(ctx, clientId))).map((e) => toEndpoint(e));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, newest first, with every attempt." })
  async webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg("endpointId", () => ID) endpointId: string,
    @Arg("status", () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
    @Arg("first", () => Int, { defaultValue: 20 }) first = 20,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<WebhookDeliveryConnection> {
    const all = await ctx.services.webhooks.deliveries.list(endpointId, readerScope(ctx), status ?? undefined);
    return page(all, first, after, toDelivery);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => WebhookEndpointPayload, { description: "Adds an endpoint; the payload's secret is shown this once." })
  async createWebhookEndpoint(@Arg("input", () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: Context): Promise<WebhookEndpointPayload> {
    return endpointPayload(await ctx.services.webhooks.endpoints.create(actingClient(ctx, input.clientId), input));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => WebhookEndpointPayload, {
    description: "A new secret, shown this once. The old one keeps signing beside it (two signatures) for WEBHOOK_SECRET_GRACE_SECONDS.",
  })
  async rotateWebhookSecret(@Arg("input", () => WebhookEndpointRefInput) input: WebhookEndpointRefInput, @Ctx() ctx: Context): Promise<WebhookEndpointPayload> {
    return endpointPayload(await ctx.services.webhooks.endpoints.rotateSecret(input.endpointId, scopeOf(ctx, input.clientId)));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => WebhookEndpointPayload, { description: "Back to ACTIVE after a GONE or FAILING disable." })
  async enableWebhookEndpoint(@Arg("input", () => WebhookEndpointRefInput) input: WebhookEndpointRefInput, @Ctx() ctx: Context): Promise<WebhookEndpointPayload> {
    return endpointPayload(await ctx.services.webhooks.endpoints.enable(input.endpointId, scopeOf(ctx, input.clientId)));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => RemoveWebhookEndpointPayload)
  async removeWebhookEndpoint(@Arg("input", () => WebhookEndpointRefInput) input: WebhookEndpointRefInput, @Ctx() ctx: Context): Promise<RemoveWebhookEndpointPayload> {
    return { endpointId: input.endpointId, ...(await ctx.services.webhooks.endpoints.remove(input.endpointId, scopeOf(ctx, input.clientId))) };
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => WebhookDeliveryPayload, { description: "Queues a webhook.test event to the endpoint, delivered like any other." })
  async sendTestWebhook(@Arg("endpointId", () => ID) endpointId: string, @Ctx() ctx: Context): Promise<WebhookDeliveryPayload> {
    return deliveryPayload(await ctx.services.webhooks.dispatcher.sendTest(endpointId, readerScope(ctx)));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => WebhookDeliveryPayload, { description: "Sends a delivery again now: a new attempt with the same webhook-id and body." })
  async redeliverWebhook(@Arg("deliveryId", () => ID) deliveryId: string, @Ctx() ctx: Context): Promise<WebhookDeliveryPayload> {
    return deliveryPayload(await ctx.services.webhooks.deliveries.redeliver(deliveryId, readerScope(ctx)));
  }
}
