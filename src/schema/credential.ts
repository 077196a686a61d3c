// Credential (Correios Brazil): the type, its inputs and payloads, and the admin resolvers.
import { Arg, Ctx, Directive, Field, GraphQLISODateTime, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, UseMiddleware } from "type-graphql";
import { AUTHENTICATED, OPERATOR_ONLY, OPERATOR_OR_CLIENT } from "./scopes.js";
import { CWS_API_NAMES } from "../correios/client/endpoints.js";
import { DR_CODES } from "../correios/domain/formats.js";
import type { CorreiosBrCredential } from "../store/credentials.js";
import { requireAccessTo, requireOperator, type Context } from "./context.js";
import { UserError, Warning } from "./payload.js";
import { MapErrors } from "./map-errors.js";

export enum Carrier {
  CORREIOS_BR = "CORREIOS_BR",
  CORREOS_ES = "CORREOS_ES",
}
registerEnumType(Carrier, { name: "Carrier", description: "Which postal operator a credential belongs to." });

export enum CredentialStatus {
  ACTIVE = "ACTIVE",
  INVALID = "INVALID",
  UNVERIFIED = "UNVERIFIED",
}
registerEnumType(CredentialStatus, {
  name: "CredentialStatus",
  valuesConfig: {
    ACTIVE: { description: "Correios accepted it at the last verification." },
    INVALID: { description: "Correios refused it (wrong login or access code, or the access code was regenerated)." },
    UNVERIFIED: { description: "Saved with verify: false; not yet checked." },
  },
});

@ObjectType({ simpleResolvers: true, description: "An API listed in the token answer. Unknown ids are kept." })
export class EnabledApi {
  @Field(() => Int) id!: number;
  @Field(() => String, { nullable: true, description: "TRACKING, PRICE, DEADLINE, …; null when the id is not known here." })
  name!: string | null;
}

@ObjectType({ simpleResolvers: true, description: "A client's Correios (Brazil) API credential. The access code itself is never returned." })
export class Credential {
  @Field(() => ID) clientId!: string;
  @Field(() => Carrier) carrier!: Carrier;
  @Field(() => String, { description: "The idCorreios login used with the token API." }) apiLogin!: string;
  @Field(() => String, { description: "The last four characters of the access code (for recognition), or only bullets when the code is shorter than 12." }) accessCodeHint!: string;
  @Field(() => String, { description: "10 digits with the leading 00: the form the CWS screen and the token API take." })
  postingCard!: string;
  @Field(() => String, { description: "Without the leading 00: the form merchant portals show." }) postingCardShort!: string;
  @Field(() => String, { nullable: true }) contract!: string | null;
  @Field(() => Int, { nullable: true, description: "Regional directorate (DR)." }) dr!: number | null;
  @Field(() => String, { nullable: true }) drName!: string | null;
  @Field(() => String, { nullable: true }) cnpj!: string | null;
  @Field(() => String, { nullable: true, description: "PRODUCAO or HOMOLOGACAO, as Correios answered." }) environment!: string | null;
  @Field(() => [EnabledApi], {
    description:
      "What the posting card may call: the token answer's card-level list (cartaoPostagem.api), the one the bearer token " +
      "carries. Informative only: calls are never refused on it, Correios' answer decides.",
  })
  enabledApis!: EnabledApi[];
  @Field(() => [EnabledApi], {
    description:
      "The token answer's top-level api list, as Correios sent it. It differs from enabledApis even in Correios' own " +
      "sample (tracking is listed only here); empty until the credential is verified again.",
  })
  loginApis!: EnabledApi[];
  @Field(() => CredentialStatus) status!: CredentialStatus;
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) tokenExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

export function toCredential(c: CorreiosBrCredential): Credential {
  return {
    clientId: c.clientId,
    carrier: Carrier.CORREIOS_BR,
    apiLogin: c.apiLogin,
    accessCodeHint: c.accessCodeHint,
    postingCard: c.postingCard,
    postingCardShort: c.postingCard.replace(/^00/, ""),
    contract: c.contract ?? null,
    dr: c.dr ?? null,
    drName: c.dr !== undefined ? (DR_CODES.get(c.dr) ?? null) : null,
    cnpj: c.cnpj ?? null,
    environment: c.environment ?? null,
    enabledApis: apiList(c.enabledApis),
    loginApis: apiList(c.loginApis ?? []),
    status: c.status as CredentialStatus,
    statusReason: c.statusReason ?? null,
    tokenExpiresAt: c.tokenExpiresAt ? new Date(c.tokenExpiresAt) : null,
    verifiedAt: c.verifiedAt ? new Date(c.verifiedAt) : null,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

function apiList(ids: readonly number[]): EnabledApi[] {
  return ids.map((id) => ({ id, name: CWS_API_NAMES[id] ?? null }));
}

@InputType()
export class RegisterCredentialInput {
  @Field(() => ID, { description: "Our id of the client (tenant) this credential belongs to." }) clientId!: string;
  @Field(() => String, { description: "The idCorreios login (API user)." }) apiLogin!: string;
  @Field(() => String, { description: "The access code generated in the CWS portal (acts as the API password)." }) accessCode!: string;
  @Field(() => String, { description: "Posting card, with the leading 00 (CWS form) or without it (merchant-portal form)." })
  postingCard!: string;
  @Field(() => String, { nullable: true, description: "Contract number (10 digits); Correios' own value wins after verification." })
  contract?: string | null;
  @Field(() => Int, { nullable: true, description: "Regional directorate (DR) code." }) dr?: number | null;
  @Field(() => Boolean, { defaultValue: true, description: "Ask Correios for a fresh token before saving." }) verify!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class CredentialPayload {
  @Field(() => Credential, { nullable: true }) credential!: Credential | null;
  @Field(() => [UserError]) userErrors!: UserError[];
  @Field(() => [Warning]) warnings!: Warning[];
}

@ObjectType({ simpleResolvers: true })
export class RemoveCredentialPayload {
  @Field(() => ID) clientId!: string;
  @Field(() => Boolean) removed!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}

function payload(p: { credential: CorreiosBrCredential | null; userErrors: UserError[]; warnings: Warning[] }): CredentialPayload {
  return { credential: p.credential ? toCredential(p.credential) : null, userErrors: p.userErrors, warnings: p.warnings };
}

@Resolver(() => Credential)
@UseMiddleware(MapErrors)
export class CredentialResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => Credential, { nullable: true, description: "A client's credential (operator, or that client)." })
  async credential(@Arg("clientId", () => ID) clientId: string, @Ctx() ctx: Context): Promise<Credential | null> {
    requireAccessTo(ctx, clientId);
    const c = await ctx.services.credentials.get(clientId);
    return c ? toCredential(c) : null;
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_ONLY)
  @Query(() => [Credential], { description: "Every registered credential (operator only)." })
  async credentials(@Ctx() ctx: Context): Promise<Credential[]> {
    requireOperator(ctx);
    return (await ctx.services.credentials.list()).map(toCredential);
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => CredentialPayload, { description: "Registers (or replaces) a client's Correios API login, access code and posting card." })
  async registerCredential(@Arg("input", () => RegisterCredentialInput) input: RegisterCredentialInput, @Ctx() ctx: Context): Promise<CredentialPayload> {
    requireAccessTo(ctx, input.clientId.trim());
    return payload(await ctx.services.credentials.register(input));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => CredentialPayload, { description: "Asks Correios for a fresh token with the stored credential and records the answer." })
  async verifyCredential(@Arg("clientId", () => ID) clientId: string, @Ctx() ctx: Context): Promise<CredentialPayload> {
    requireAccessTo(ctx, clientId);
    return payload(await ctx.services.credentials.verify(clientId));
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => RemoveCredentialPayload)
  async removeCredential(@Arg("clientId", () => ID) clientId: string, @Ctx() ctx: Context): Promise<RemoveCredentialPayload> {
    requireAccessTo(ctx, clientId);
    return { clientId, ...(await ctx.services.credentials.remove(clientId)) };
  }
}
