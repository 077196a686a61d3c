// LabelJob: an asynchronous Correios label PDF for some postings, polled by the subgraph itself.
import { Arg, Ctx, Directive, Field, GraphQLISODateTime, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, UseMiddleware } from "type-graphql";
import { AUTHENTICATED, OPERATOR_OR_CLIENT } from "./scopes.js";
import { LABEL_LAYOUTS, LABEL_TYPES, type LabelLayout as Layout, type LabelType as Type } from "../correios/domain/posting-rules.js";
import type { StoredLabelJob } from "../store/postings.js";
import type { Context } from "./context.js";
import { actingClient, readerScope } from "./access.js";
import { MapErrors } from "./map-errors.js";
import { UserError } from "./payload.js";

export const LabelLayout = Object.fromEntries(Object.keys(LABEL_LAYOUTS).map((k) => [k, k])) as { [K in Layout]: K };
registerEnumType(LabelLayout, { name: "LabelLayout", description: "Correios layoutImpressao: PADRAO (STANDARD), LINEAR_100_150, LINEAR_100_80, LINEAR_A4, LINEAR_A." });
export const LabelType = Object.fromEntries(Object.keys(LABEL_TYPES).map((k) => [k, k])) as { [K in Type]: K };
registerEnumType(LabelType, { name: "LabelType", description: "Correios tipoRotulo: P (STANDARD) or R (REDUCED)." });

export enum LabelJobStatus {
  PENDING = "PENDING",
  READY = "READY",
  FAILED = "FAILED",
}
registerEnumType(LabelJobStatus, { name: "LabelJobStatus" });

@ObjectType({ simpleResolvers: true })
export class LabelPdf {
  @Field(() => String) base64!: string;
  @Field(() => Int) byteLength!: number;
}

@ObjectType({ simpleResolvers: true, description: "Labels being made by Correios; READY carries the PDF." })
export class LabelJob {
  @Field(() => ID) id!: string;
  @Field(() => LabelJobStatus) status!: LabelJobStatus;
  @Field(() => [ID]) postingIds!: string[];
  @Field(() => LabelPdf, { nullable: true }) pdf!: LabelPdf | null;
  @Field(() => String, { nullable: true, description: "GET path on this server (application/pdf, same auth as /graphql) once READY." }) downloadUrl!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

export function toLabelJob(j: StoredLabelJob): LabelJob {
  return {
    id: j.id,
    status: j.status as LabelJobStatus,
    postingIds: j.postingIds,
    pdf: j.pdfBase64 ? { base64: j.pdfBase64, byteLength: Buffer.byteLength(j.pdfBase64, "base64") } : null,
    downloadUrl: j.status === "READY" ? `/labels/${j.id}.pdf` : null,
    error: j.error ?? null,
    createdAt: new Date(j.createdAt),
  };
}

@InputType()
export class RequestLabelsInput {
  @Field(() => ID, { nullable: true, description: "An operator acts for a client; a client token acts for itself." }) clientId?: string | null;
  @Field(() => [ID]) postingIds!: string[];
  @Field(() => LabelLayout, { nullable: true }) layout?: Layout | null;
  @Field(() => LabelType, { nullable: true }) type?: Type | null;
}

@ObjectType({ simpleResolvers: true })
export class LabelJobPayload {
  @Field(() => LabelJob, { nullable: true }) labelJob!: LabelJob | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@Resolver(() => LabelJob)
@UseMiddleware(MapErrors)
export class LabelJobResolver {
  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Mutation(() => LabelJobPayload, { description: "Asks Correios for the label PDF of postings this client created; poll labelJob(id)." })
  async requestLabels(@Arg("input", () => RequestLabelsInput) input: RequestLabelsInput, @Ctx() ctx: Context): Promise<LabelJobPayload> {
    const r = await ctx.services.labels.request(actingClient(ctx, input.clientId), input);
    return { labelJob: r.job ? toLabelJob(r.job) : null, userErrors: r.userErrors };
  }

  @Directive(AUTHENTICATED)
  @Directive(OPERATOR_OR_CLIENT)
  @Query(() => LabelJob, { nullable: true })
  async labelJob(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<LabelJob | null> {
    const j = await ctx.services.labels.get(id, readerScope(ctx));
    return j ? toLabelJob(j) : null;
  }
}
