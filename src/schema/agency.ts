// Agency: a Correios post office, found near a CEP or in a city (the return page's "where to drop it").
import { Arg, Ctx, Field, Float, ID, InputType, Int, ObjectType, Query, Resolver, UseMiddleware } from "type-graphql";
import type { Agency as AgencyRecord } from "../correios/client/agencies.js";
import { tenantOf, type Context } from "./context.js";
import { MapErrors } from "./map-errors.js";

@ObjectType({ simpleResolvers: true })
export class AgencyAddress {
  @Field(() => String, { nullable: true }) cep!: string | null;
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => String, { nullable: true }) district!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) state!: string | null;
}

@ObjectType({ simpleResolvers: true, description: "A Correios unit where parcels can be posted." })
export class Agency {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => String, { nullable: true }) unitType!: string | null;
  @Field(() => AgencyAddress) address!: AgencyAddress;
  @Field(() => Float, { nullable: true }) latitude!: number | null;
  @Field(() => Float, { nullable: true }) longitude!: number | null;
  @Field(() => String, { nullable: true, description: "Opening hours as Correios writes them." }) openingHours!: string | null;
  @Field(() => String, { nullable: true }) opensAt!: string | null;
  @Field(() => String, { nullable: true }) closesAt!: string | null;
  @Field(() => String, { nullable: true, description: "Weekday posting cut-off (limitePostagemSemana): later postings leave the next working day." })
  weekdayPostingCutoff!: string | null;
}

@InputType()
export class AgencyNear {
  @Field(() => String, { nullable: true }) cep?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) state?: string | null;
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export function toAgency(a: AgencyRecord): Agency {
  return {
    id: a.id,
    name: a.name,
    status: orNull(a.status),
    unitType: orNull(a.unitType),
    address: {
      cep: orNull(a.address.cep),
      street: orNull(a.address.street),
      number: orNull(a.address.number),
      district: orNull(a.address.district),
      city: orNull(a.address.city),
      state: orNull(a.address.state),
    },
    latitude: orNull(a.latitude),
    longitude: orNull(a.longitude),
    openingHours: orNull(a.openingHours),
    opensAt: orNull(a.opensAt),
    closesAt: orNull(a.closesAt),
    weekdayPostingCutoff: orNull(a.weekdayPostingCutoff),
  };
}

@Resolver(() => Agency)
@UseMiddleware(MapErrors)
export class AgencyResolver {
  @Query(() => [Agency], { description: "Post offices near a CEP (its district first) or in a city; cached for a day." })
  async agencies(@Arg("near", () => AgencyNear) near: AgencyNear, @Ctx() ctx: Context, @Arg("first", () => Int, { defaultValue: 10 }) first = 10): Promise<Agency[]> {
    return (await ctx.services.agencies.near(tenantOf(ctx), near, first)).map(toAgency);
  }
}
