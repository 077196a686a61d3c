// Every GraphQL operation the console sends, in one place; test/admin-console.test.ts validates them against
// schema.graphql, so a renamed field fails a test instead of a screen.
const CREDENTIAL = `clientId apiLogin accessCodeHint postingCard postingCardShort contract dr drName cnpj environment
  enabledApis { id name } status statusReason tokenExpiresAt verifiedAt updatedAt`;
const CORREOS_ES = `clientId oauthClientId oauthClientSecretHint scopes grantedScopes apiClientId apiClientSecretHint environment
  status statusReason tokenExpiresAt verifiedAt updatedAt`;
const PAYLOAD_ERRORS = "userErrors { field message code } warnings { code message }";

export const CREDENTIALS = `query ConsoleCredentials {
  credentials { ${CREDENTIAL} }
  correosEsCredentials { ${CORREOS_ES} }
}`;

export const CLIENT_CREDENTIALS = `query ConsoleClientCredentials($clientId: ID!) {
  credential(clientId: $clientId) { ${CREDENTIAL} }
  correosEsCredential(clientId: $clientId) { ${CORREOS_ES} }
}`;

export const REGISTER_CREDENTIAL = `mutation ConsoleRegisterCredential($input: RegisterCredentialInput!) {
  registerCredential(input: $input) { credential { ${CREDENTIAL} } ${PAYLOAD_ERRORS} }
}`;

export const VERIFY_CREDENTIAL = `mutation ConsoleVerifyCredential($clientId: ID!) {
  verifyCredential(clientId: $clientId) { credential { ${CREDENTIAL} } ${PAYLOAD_ERRORS} }
}`;

export const REMOVE_CREDENTIAL = `mutation ConsoleRemoveCredential($clientId: ID!) {
  removeCredential(clientId: $clientId) { clientId removed userErrors { field message code } }
}`;

export const REGISTER_CORREOS_ES = `mutation ConsoleRegisterCorreosEs($input: RegisterCorreosEsCredentialInput!) {
  registerCorreosEsCredential(input: $input) { credential { ${CORREOS_ES} } ${PAYLOAD_ERRORS} }
}`;

export const VERIFY_CORREOS_ES = `mutation ConsoleVerifyCorreosEs($clientId: ID!) {
  verifyCorreosEsCredential(clientId: $clientId) { credential { ${CORREOS_ES} } ${PAYLOAD_ERRORS} }
}`;

export const REMOVE_CORREOS_ES = `mutation ConsoleRemoveCorreosEs($clientId: ID!) {
  removeCorreosEsCredential(clientId: $clientId) { clientId removed userErrors { field message code } }
}`;

export const ADDRESS = `query ConsoleAddress($cep: String!) {
  address(cep: $cep) { cep street streetType district city state complement }
}`;

const POSTING = `id clientId trackingCode status service { code name }
  recipient { name address { city state } } declaredValue { amount } price { amount } createdAt expiresAt`;

export const POSTINGS = `query ConsolePostings($clientId: ID, $filter: PostingFilter, $after: String) {
  postings(clientId: $clientId, filter: $filter, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${POSTING} } }
  }
}`;

export const CREATE_POSTING = `mutation ConsoleCreatePosting($input: CreatePostingInput!) {
  createPosting(input: $input) { posting { ${POSTING} } ${PAYLOAD_ERRORS} }
}`;

export const CANCEL_POSTING = `mutation ConsoleCancelPosting($id: ID!) {
  cancelPosting(id: $id) { posting { ${POSTING} } ${PAYLOAD_ERRORS} }
}`;

export const REQUEST_LABELS = `mutation ConsoleRequestLabels($input: RequestLabelsInput!) {
  requestLabels(input: $input) { labelJob { id status postingIds downloadUrl error } userErrors { field message code } }
}`;

export const LABEL_JOB = `query ConsoleLabelJob($id: ID!) {
  labelJob(id: $id) { id status postingIds downloadUrl error }
}`;

const ENDPOINT = `id clientId url events status disabledReason disabledAt failingSince description secretCreatedAt previousSecretExpiresAt createdAt`;
const DELIVERY = `id endpointId messageId type code status reason createdAt nextAttemptAt deliveredAt
  attempts { number at durationMs statusCode error success trigger }`;

export const WEBHOOK_ENDPOINTS = `query ConsoleWebhookEndpoints($clientId: ID) {
  webhookEndpoints(clientId: $clientId) { ${ENDPOINT} }
}`;

export const CREATE_WEBHOOK = `mutation ConsoleCreateWebhook($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT} } secret userErrors { field message code } }
}`;

export const ROTATE_WEBHOOK_SECRET = `mutation ConsoleRotateWebhookSecret($input: WebhookEndpointRefInput!) {
  rotateWebhookSecret(input: $input) { endpoint { ${ENDPOINT} } secret userErrors { field message code } }
}`;

export const ENABLE_WEBHOOK = `mutation ConsoleEnableWebhook($input: WebhookEndpointRefInput!) {
  enableWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT} } userErrors { field message code } }
}`;

export const REMOVE_WEBHOOK = `mutation ConsoleRemoveWebhook($input: WebhookEndpointRefInput!) {
  removeWebhookEndpoint(input: $input) { endpointId removed userErrors { field message code } }
}`;

export const SEND_TEST_WEBHOOK = `mutation ConsoleSendTestWebhook($endpointId: ID!) {
  sendTestWebhook(endpointId: $endpointId) { delivery { ${DELIVERY} } userErrors { field message code } }
}`;

export const WEBHOOK_DELIVERIES = `query ConsoleWebhookDeliveries($endpointId: ID!, $after: String) {
  webhookDeliveries(endpointId: $endpointId, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${DELIVERY} } }
  }
}`;

export const REDELIVER_WEBHOOK = `mutation ConsoleRedeliverWebhook($deliveryId: ID!) {
  redeliverWebhook(deliveryId: $deliveryId) { delivery { ${DELIVERY} } userErrors { field message code } }
}`;
