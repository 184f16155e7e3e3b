using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation.Incoming;

/// <summary>
/// JwtBearer's token handler, verifying each token once: the first time a token arrives,
/// <see cref="JsonWebTokenHandler"/> validates it in full and the result is kept in the
/// <see cref="VerifiedTokenCache"/>; later requests with the same token, with the issuer's keys
/// unchanged and before the token's <c>exp</c>, get a copy of that result. JwtBearer's events run
/// for every request either way, and so does the revocation check they hold. A token signed by a
/// key the service does not hold yet is validated again once the issuer's keys were read again,
/// unless the issuer retired that key (<see cref="SigningKeyRetiredException"/>).
/// A valid token's scopes are read from <paramref name="scopeClaim"/> (<see cref="ScopeClaimMapping"/>).
/// </summary>
internal sealed class VerifiedTokenHandler(
    JsonWebTokenHandler inner, VerifiedTokenCache verifiedTokens, string scopeClaim, RevocationList? revocations = null) : TokenHandler
{
    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        // The keys the issuer publishes now: held by the configuration manager, fetched only when due.
        BaseConfiguration? configuration;
        try
        {
            configuration = validationParameters.ConfigurationManager is { } manager
                ? await manager.GetBaseConfigurationAsync(CancellationToken.None)
                : null;
        }
        catch (InvalidOperationException)
        {
            // No keys to tell a cached verdict by: let the full validation say what is wrong.
            return await inner.ValidateTokenAsync(token, validationParameters);
        }

        if (verifiedTokens.Find(token) is { } verified && ReferenceEquals(verified.Configuration, configuration))
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = verified.Jwt,
                ClaimsIdentity = verified.CreateIdentity(),
            };
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && result.TokenOnFailedValidation is JsonWebToken { Kid: var keyId }
            && revocations?.IsKeyRetired(keyId) == true)
        {
            // Dropped from the keys held, as it should be: nothing to read the issuer's keys again for.
            return new TokenValidationResult { IsValid = false, Exception = new SigningKeyRetiredException() };
        }

        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && validationParameters.ConfigurationManager is IssuerConfigurationManager issuer
            && await issuer.RefreshForUnknownKeyAsync() is { } refreshed
            && !ReferenceEquals(refreshed, configuration))
        {
            // The issuer may have rotated its keys: once more, with the keys it publishes now.
            configuration = refreshed;
            result = await inner.ValidateTokenAsync(token, validationParameters);
        }

        if (result is { IsValid: true, SecurityToken: JsonWebToken jwt })
        {
            ScopeClaimMapping.Apply(result.ClaimsIdentity, scopeClaim);
            result.ClaimsIdentity = verifiedTokens.Add(jwt, result.ClaimsIdentity, configuration).CreateIdentity();
        }

        return result;
    }
}
