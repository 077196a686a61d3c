// Address: what Correios' CEP API knows of a CEP, and the query that asks it (one loader per request).
import { Arg, Ctx, Field, ObjectType, Query, Resolver, UseMiddleware } from "type-graphql";
import type { CepAddress } from "../correios/client/cep.js";
import { parseCep } from "../correios/domain/formats.js";
import type { Context } from "./context.js";
import { BadUserInputError, NotFoundError } from "./errors.js";
import { MapErrors } from "./map-errors.js";

@ObjectType({ simpleResolvers: true, description: "An address by CEP, from Correios' CEP API (cached for days)." })
export class Address {
  @Field(() => String, { description: "8 digits, no hyphen." }) cep!: string;
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field(() => String, { nullable: true, description: "Rua, Avenida, … as Correios names it." }) streetType!: string | null;
  @Field(() => String, { nullable: true }) district!: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { description: "Two-letter state (UF)." }) state!: string;
  @Field(() => String, { nullable: true }) complement!: string | null;
  @Field(() => String, { nullable: true, description: "Correios' tipoCEP (street, unit, large user, …)." }) cepType!: string | null;
}

export function toAddress(a: CepAddress): Address {
  return {
    cep: a.cep,
    street: a.street ?? null,
    streetType: a.streetType ?? null,
    district: a.district ?? null,
    city: a.city,
    state: a.state,
    complement: a.complement ?? null,
    cepType: a.cepType ?? null,
  };
}

@Resolver(() => Address)
@UseMiddleware(MapErrors)
export class AddressResolver {
  @Query(() => Address, { nullable: true, description: "The address of a CEP; null with a NOT_FOUND error when Correios does not know it." })
  async address(@Arg("cep", () => String) cep: string, @Ctx() ctx: Context): Promise<Address | null> {
    const parsed = parseCep(cep);
    if (!parsed.ok) throw new BadUserInputError(parsed.message, "cep");
    const found = await ctx.loaders.address.load(parsed.value);
    // Unknown is an answer about this field only: null with a NOT_FOUND error at its path, the rest of the query resolves.
    if (!found) throw new NotFoundError(`Correios does not know the CEP ${parsed.value}.`);
    return toAddress(found);
  }
}
