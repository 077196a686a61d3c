// Shipment.deliveryProof: the delivery-proof image of a delivered parcel. A second resolver class for Shipment, so
// the tracking file stays about tracking.
import { Ctx, Field, FieldResolver, GraphQLISODateTime, ObjectType, Resolver, Root, UseMiddleware } from "type-graphql";
import { notDeliveredProof, type ProofResult } from "../services/proofs.js";
import type { Context } from "./context.js";
import { MapErrors } from "./map-errors.js";
import { Shipment } from "./shipment.js";

@ObjectType({ simpleResolvers: true, description: "The electronic proof of delivery Correios keeps for a delivered parcel." })
export class DeliveryProof {
  @Field(() => Boolean) available!: boolean;
  @Field(() => String, { nullable: true, description: "Why there is no proof, when available is false." }) reason!: string | null;
  @Field(() => String, { nullable: true, description: "MIME type of the image, as Correios gives it (image/png, image/jpeg, …)." })
  mimeType!: string | null;
  @Field(() => String, { nullable: true, description: "The image bytes in base64." }) imageBase64!: string | null;
  @Field(() => String, { nullable: true, description: "The image as a data: URL, ready for an <img src>." }) dataUrl!: string | null;
  @Field(() => String, { nullable: true, description: "Delivery time (dataBaixa), ISO 8601 with offset." }) deliveredAt!: string | null;
  @Field(() => String, { nullable: true, description: "Who received it; null: the ar-digital answer does not carry it." })
  receiverName!: string | null;
  @Field(() => String, { nullable: true, description: "The receiver's document; null: the ar-digital answer does not carry it." })
  receiverDocument!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When Correios was asked; null when no call was needed." })
  fetchedAt!: Date | null;
}

export function toDeliveryProof(p: ProofResult): DeliveryProof {
  const image = p.available && p.base64 && p.mimeType ? { mimeType: p.mimeType, base64: p.base64 } : undefined;
  return {
    available: image !== undefined,
    reason: image ? null : (p.reason ?? null),
    mimeType: image?.mimeType ?? null,
    imageBase64: image?.base64 ?? null,
    dataUrl: image ? `data:${image.mimeType};base64,${image.base64}` : null,
    deliveredAt: p.deliveredAt ?? null,
    receiverName: null,
    receiverDocument: null,
    fetchedAt: p.fetchedAt !== undefined ? new Date(p.fetchedAt) : null,
  };
}

@Resolver(() => Shipment)
@UseMiddleware(MapErrors)
export class DeliveryProofResolver {
  @FieldResolver(() => DeliveryProof, {
    nullable: true,
    description:
      "Proof of delivery. Correios is asked only for delivered parcels (several in one call, cached for long); " +
      "null with an error when Correios could not be asked.",
  })
  async deliveryProof(@Root() shipment: Shipment, @Ctx() ctx: Context): Promise<DeliveryProof> {
    if (shipment.status !== "DELIVERED") return toDeliveryProof(notDeliveredProof(shipment.status));
    const proof = await ctx.loaders.proof.load(shipment.code);
    // The image comes with the client's contract: private, for as long as the proof cache keeps it; a proof not
    // there yet may appear at any moment, so that answer is not kept at all.
    const { config } = ctx.services;
    ctx.cacheHints.until(proof.available && proof.fetchedAt !== undefined ? proof.fetchedAt + config.PROOF_TTL_SECONDS * 1000 : 0, "PRIVATE");
    return toDeliveryProof(proof);
  }
}
