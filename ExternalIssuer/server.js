// An OpenID Provider written by others (oidc-provider, OpenID Certified), run by the tests as an
// issuer this solution does not control. Everything it is told comes from the environment:
//   PORT              where it listens (loopback only)
//   ISSUER            its issuer identifier, e.g. http://localhost:5400
//   ACCOUNTS          the users who may sign in, comma-separated (e.g. alice,bob)
//   CLIENT_ID         a public client that signs users in with the code flow and PKCE
//   REDIRECT_URI      that client's one redirect URI
//   RESOURCES         the resource servers (RFC 8707), as JSON: { "<indicator>": "<scopes>" }
//   SIGNING_KEY_FILE  test only: where to write the private signing key, for tests that forge
//                     tokens correctly signed yet wrong in one way (e.g. expired)
// Sign-in is oidc-provider's own development pages (devInteractions: any password is accepted),
// so this is a test issuer, never one to deploy.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Provider, { errors } from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`The environment variable ${name} is required.`);
  }
  return value;
}

const port = Number(required('PORT'));
const issuer = required('ISSUER');
const accounts = new Set(required('ACCOUNTS').split(',').map((account) => account.trim()));
const resources = JSON.parse(required('RESOURCES'));

// A new RSA key every start, so the keys the services read from the JWKS are real ones.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
if (process.env.SIGNING_KEY_FILE) {
  writeFileSync(
    process.env.SIGNING_KEY_FILE,
    JSON.stringify({ kid: signingKey.kid, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
    { mode: 0o600 },
  );
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: required('CLIENT_ID'),
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [required('REDIRECT_URI')],
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  pkce: { required: () => true },
  // Set, rather than left to oidc-provider's defaults (which it warns about); in seconds.
  ttl: { AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Grant: 3600, Session: 3600 },
  async findAccount(ctx, id) {
    return accounts.has(id) ? { accountId: id, claims: () => ({ sub: id }) } : undefined;
  },
  features: {
    devInteractions: { enabled: true },
    // Access tokens are RS256 JWTs (typ at+jwt), each for the one resource server it was asked for.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => false,
      getResourceServerInfo(ctx, indicator) {
        if (!Object.hasOwn(resources, indicator)) {
          throw new errors.InvalidTarget();
        }
        return { scope: resources[indicator], accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
});

const server = provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider ${issuer} listening on 127.0.0.1:${port}`));

// Stopped by the app host: close at once rather than wait for idle keep-alive connections.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
