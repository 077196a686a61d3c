// CorreosEsCredential (Correos, Spain): a CorreosID OAuth 2.0 client-credentials account, its inputs and payloads,
// and the admin resolvers. Authorization follows credential.ts: operators manage every client, a client only itself.
import { Arg, Ctx, Directive, Field, GraphQLISODateTime, ID, InputType, Mutation, ObjectType, Query, registerEnumType, Resolver, UseMiddleware } from "type-graphql";
import { AUTHENTICATED, OPERATOR_ONLY, OPERATOR_OR_CLIENT } from "./scopes.js";
import type { CorreosEsCredential as StoredCorreosEsCredential } from "../store/credentials.js";
import { requireAccessTo, requireOperator, type Context } from "./context.js";
import { Carrier, CredentialStatus } from "./credential.js";
import { UserError, Warning } from "./payload.js";
import { MapErrors } from "./map-errors.js";

export enum CorreosEsEnvironment {
  PRODUCTION = "PRODUCTION",
  PREPRODUCTION = "PREPRODUCTION",
}
registerEnumType(CorreosEsEnvironment, {
  name: "CorreosEsEnvironment",
  description: "Which CorreosID environment issued the pair; pairs of one do not work in the other.",
  valuesConfig: {
    PRODUCTION: { description: "Production: CorreosID at apioauthcid.correos.es." },
    PREPRODUCTION: { description: "Pre-production (testing): CorreosID at apioauthcid.correospre.es." },
  },
});

@ObjectType({ simpleResolvers: true, description: "A client's Correos (Spain) CorreosID account. The secrets themselves are never returned." })
export class CorreosEsCredential {
  @Field(() => ID) clientId!: string;
  @Field(() => Carrier) carrier!: Carrier;
  @Field(() => String, { description: "The CorreosID OAuth client id." }) oauthClientId!: string;
  @Field(() => String, { description: "The last four characters of the OAuth client secret (for recognition), or only bullets when it is shorter than 12." })
  oauthClientSecretHint!: string;
  @Field(() => [String], { description: "Scope codes asked for, such as AP3, LBS, RCG." }) scopes!: string[];
  @Field(() => [String], { nullable: true, description: "Scopes CorreosID granted at the last verification; null before one." })
  grantedScopes!: string[] | null;
  @Field(() => String, { nullable: true, description: "The API's own gateway client id (sent as the client_id header)." })
  apiClientId!: string | null;
  @Field(() => String, { nullable: true, description: "The last four characters of the API's gateway client secret, or only bullets when it is shorter than 12." })
  apiClientSecretHint!: string | null;
  @Field(() => CorreosEsEnvironment) environment!: CorreosEsEnvironment;
  @Field(() => CredentialStatus) status!: CredentialStatus;
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) tokenExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

export function toCorreosEsCredential(c: StoredCorreosEsCredential): CorreosEsCredential {
  return {
    clientId: c.clientId,
    carrier: Carrier.CORREOS_ES,
    oauthClientId: c.oauthClientId,
    oauthClientSecretHint: c.oauthClientSecretHint,
    scopes: c.scopes,
    grantedScopes: c.grantedScopes ?? null,
    apiClientId: c.apiClientId ?? null,
    apiClientSecretHint: c.apiClientSecretHint ?? null,
    environment: c.environment as CorreosEsEnvironment,
    status: c.status as CredentialStatus,
    statusReason: c.statusReason ?? null,
    tokenExpiresAt: c.tokenExpiresAt ? new Date(c.tokenExpiresAt) : null,
    verifiedAt: c.verifiedAt ? new Date(c.verifiedAt) : null,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

@InputType()
export class RegisterCorreosEsCredentialInput {
  @Field(() => ID, { description: "Our id of the client (tenant) this credential belongs to." }) clientId!: string;
  @Field(() => String, { description: "The CorreosID OAuth client id." }) oauthClientId!: string;
  @Field(() => String, { description: "The CorreosID OAuth client secret." }) oauthClientSecret!: string;
  @Field(() => [String], { description: "Scope codes (1–20), such as [\"AP3\", \"LBS\", \"RCG\"]; a token covers only these." })
  scopes!: string[];
  @Field(() => String, { nullable: true, description: "The API's own gateway client id; give it with apiClientSecret." })
  apiClientId?: string | null;
  @Field(() => String, { nullable: true, description: "The API's own gateway client secret; give it with apiClientId." })
  apiClientSecret?: string | null;
  @Field(() => CorreosEsEnvironment) environment!: CorreosEsEnvironment;
  @Field(() => Boolean, { defaultValue: true, description: "Ask CorreosID for a fresh token with these scopes before saving." })
  verify!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class CorreosEsCredentialPayload {
  @Field(() => CorreosEsCredential, { nullable: true }) credential!: CorreosEsCredential | null;
  @Field(() => [UserError]) userErrors!: UserError[];
  @Field(() => [Warning]) warnings!: Warning[];
}

@ObjectType({ simpleResolvers: true })
export class RemoveCorreosEsCredentialPayload {
  @Field(() => ID) clientId!: string;
  @Field(() => Boolean) removed!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}

function payload(p: { credential: StoredCorreosEsCredential | null; userErrors: UserError[]; warnings: Warning[] }): CorreosEsCredentialPayload {
  return { credential: p.credential ? toCorreosEsCredential(p.credential) : null, userErrors: p.userErrors, warnings: p.warnings };
}

@Resolver(() => CorreosEsCredential)
@UseMiddleware(MapErrors)
export class CorreosEsCredentialResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => CorreosEsCredential, { nullable: true, description: "A client's Correos (Spain) credential (operator, or that client)." })
  async correosEsCredential(@Arg("clientId", () => ID) clientId: string, @Ctx() ctx: Context): Promise<CorreosEsCredential | null> {
    requireAccessTo(ctx, clientId);
    const c = await ctx.services.correosEsCredentials.get(clientId);
    return c ? toCorreosEsCredential(c) : null;
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_ONLY)
  @Query(() => [CorreosEsCredential], { description: "Every registered Correos (Spain) credential (operator only)." })
  async correosEsCredentials(@Ctx() ctx: Context): Promise<CorreosEsCredential[]> {
    requireOperator(ctx);
    return (await ctx.services.correosEsCredentials.list()).map(toCorreosEsCredential);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => CorreosEsCredentialPayload, { description: "Registers (or replaces) a client's CorreosID OAuth pair, scopes and API gateway pair." })
  async registerCorreosEsCredential(
    @Arg("input", () => RegisterCorreosEsCredentialInput) input: RegisterCorreosEsCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<CorreosEsCredentialPayload> {
    requireAccessTo(ctx, input.clientId.trim());
    return payload(await ctx.services.correosEsCredentials.register(input));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => CorreosEsCredentialPayload, { description: "Asks CorreosID for a fresh token with the stored pair and scopes and records the answer." })
  async verifyCorreosEsCredential(@Arg("clientId", () => ID) clientId: string, @Ctx() ctx: Context): Promise<CorreosEsCredentialPayload> {
    requireAccessTo(ctx, clientId);
    return payload(await ctx.services.correosEsCredentials.verify(clientId));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => RemoveCorreosEsCredentialPayload)
  async removeCorreosEsCredential(@Arg("clientId", () => ID) clientId: string, @Ctx() ctx: Context): Promise<RemoveCorreosEsCredentialPayload> {
    requireAccessTo(ctx, clientId);
    return { clientId, ...(await ctx.services.correosEsCredentials.remove(clientId)) };
  }
}
