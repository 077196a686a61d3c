// A posting as a shop would send it, valid in every field; tests change one field at a time.
import type { CreatePostingInput } from "../generated/graphql.js";

let next = 0;
export const newKey = (tag = "k") => `${tag}-${process.pid}-${Date.now()}-${next++}`;

export function postingInput(extra: Partial<CreatePostingInput> = {}): CreatePostingInput {
  return {
    idempotencyKey: newKey(),
    service: "03298",
    sender: {
      name: "Loja Demo Ltda",
      document: "11.222.333/0001-81",
      phone: "(11) 3333-4444",
      email: "envios@lojademo.com.br",
      address: { cep: "01310-100", street: "Avenida Paulista", number: "1000", complement: "Sala 5", district: "Bela Vista", city: "São Paulo", state: "SP" },
    },
    recipient: {
      name: "Maria da Silva",
      document: "529.982.247-25",
      mobile: "(21) 98765-4321",
      address: { cep: "20040-020", street: "Avenida Rio Branco", number: "45", district: "Centro", city: "Rio de Janeiro", state: "RJ" },
    },
    package: { format: "BOX", weightGrams: 800, lengthCm: 20, widthCm: 15, heightCm: 10 },
    declaredContent: [{ description: "Camiseta de algodão", quantity: 2, unitValue: "49.90" }],
    ...extra,
  };
}
