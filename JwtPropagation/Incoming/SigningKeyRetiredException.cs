using JwtPropagation.Telemetry;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation.Incoming;

/// <summary>The token names a signing key the issuer retired at once (its revocation feed lists it): refused as <see cref="TokenFailureReasons.KeyRetired"/>.</summary>
internal sealed class SigningKeyRetiredException() : SecurityTokenInvalidSigningKeyException("The token was signed by a key the issuer retired.");
