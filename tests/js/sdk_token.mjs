// The InsurUp SDK's token flow (packages/sdk src/auth/oauth-client.ts) with its own OAuth library,
// oauth4webapi: OIDC discovery from the issuer, then the client credentials grant with
// client_secret_post. oauth4webapi refuses plain HTTP, so this runs against `serve --tls`
// (NODE_EXTRA_CA_CERTS makes Node trust the sandbox's local CA).
// Usage: node sdk_token.mjs <issuer> <clientId> <clientSecret> [scope ...]
// Prints {"issuer", "tokenEndpoint", "tokenType", "scope", "expiresIn", "accessToken"} or {"error"}.
import * as oauth from "oauth4webapi";

const [issuer, clientId, clientSecret, ...scopes] = process.argv.slice(2);
try {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, { algorithm: "oidc" });
  const as = await oauth.processDiscoveryResponse(issuerUrl, response);
  const client = { client_id: clientId };
  const params = new URLSearchParams();
  if (scopes.length > 0) params.set("scope", scopes.join(" "));
  const grant = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretPost(clientSecret), params);
  const tokens = await oauth.processClientCredentialsResponse(as, client, grant);
  console.log(JSON.stringify({ issuer: as.issuer, tokenEndpoint: as.token_endpoint, tokenType: tokens.token_type,
    scope: tokens.scope, expiresIn: tokens.expires_in, accessToken: tokens.access_token }));
} catch (err) {
  console.log(JSON.stringify({ error: `${err.name}: ${err.message}`, code: err.code, cause: String(err.cause ?? "") }));
  process.exit(1);
}
