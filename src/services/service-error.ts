// Errors that services raise for conditions callers must see with a code (no credential, credential refused, too
// many items). schema/errors.ts turns them into GraphQL errors; services stay free of GraphQL.
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const noCredential = (clientId: string, carrier = "Correios") =>
  new ServiceError("CREDENTIAL_MISSING", `No ${carrier} credential is registered for client "${clientId}". Register one with registerCredential.`, {
    clientId,
  });
