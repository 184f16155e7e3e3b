using JwtPropagation.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation.Incoming;

/// <summary>
/// Hands the validated token to the request's <see cref="CallerTokenContext"/>, and tells the
/// request's server span what became of the token: validated or not, why not, whose it is, and
/// who acts for that user.
/// </summary>
internal sealed class TokenValidationEvents(
    IncomingTokenTelemetry telemetry,
    TokenMetrics metrics,
    VerifiedTokenCache verifiedTokens,
    RevocationList revocations,
    IOptions<JwtValidationOptions> validationOptions,
    TimeProvider timeProvider) : JwtBearerEvents
{
    // How long a request that arrives before the first read of the revocation feed waits for it.
    private static readonly TimeSpan FirstRevocationReadWait = TimeSpan.FromSeconds(10);

    public override Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken jwt)
        {
            context.Fail("Only JWT access tokens are accepted.");
            return Task.CompletedTask;
        }

        // A new instance takes no token on trust before it knows what the issuer revoked.
        if (validationOptions.Value.RevocationFeed is not null && !revocations.FirstRead.IsCompleted)
        {
            return JudgeOnceRevocationsAreReadAsync(context, jwt);
        }

        Judge(context, verifiedTokens.Of(context.Principal, jwt));
        return Task.CompletedTask;
    }

    private async Task JudgeOnceRevocationsAreReadAsync(TokenValidatedContext context, JsonWebToken jwt)
    {
        var verified = verifiedTokens.Of(context.Principal, jwt);
        try
        {
            await revocations.FirstRead.WaitAsync(FirstRevocationReadWait, timeProvider, context.HttpContext.RequestAborted);
        }
        catch (TimeoutException)
        {
            Refuse(context, TokenFailureReasons.RevocationsUnread, verified);
            return;
        }

        Judge(context, verified);
    }

    private void Judge(TokenValidatedContext context, VerifiedToken verified)
    {
        if (FindPolicyViolation(verified) is { } reason)
        {
            Refuse(context, reason, verified);
            return;
        }

        CallerTokenContext.SetRequestToken(verified.Token);
        telemetry.Accepted(context.HttpContext, verified.Token, verified.ActorChain);
    }

    private void Refuse(TokenValidatedContext context, string reason, VerifiedToken verified)
    {
        telemetry.Refused(context.HttpContext, reason, verified.Token.Fingerprint);
        context.Fail(new SecurityTokenValidationException($"The token was refused: {reason.Replace('_', ' ')}."));
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var presented = PresentedToken(context.Request);
        telemetry.Refused(context.HttpContext, FailureReason(context.Exception), presented is null ? null : CallerToken.FingerprintOf(presented));
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        // A failed token was reported when it failed; here only the request that brought none.
        if (context.AuthenticateFailure is null && PresentedToken(context.Request) is null)
        {
            telemetry.Refused(context.HttpContext, TokenFailureReasons.Missing, fingerprint: null);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// What IdentityModel does not check itself: RFC 9068 wants <c>iat</c>, and a token issued in the
    /// future or living longer than any our issuer gives is forged or misissued; RFC 7515 says a
    /// <c>crit</c> header this service does not understand (none) makes the token invalid; and the
    /// issuer may have retired the key that signed it or revoked it since (checked on every request,
    /// never cached), which a list too old cannot tell (counted; refused where the service is set to fail closed).
    /// </summary>
    private string? FindPolicyViolation(VerifiedToken verified)
    {
        var settings = validationOptions.Value;
        if (verified.HasCriticalHeader)
        {
            return TokenFailureReasons.UnsupportedCritical;
        }

        if (verified.IssuedAt is not { } issuedAt)
        {
            return TokenFailureReasons.MissingIssuedAt;
        }

        var now = timeProvider.GetUtcNow();
        if (issuedAt > now + settings.ClockSkew)
        {
            return TokenFailureReasons.IssuedInFuture;
        }

        if (verified.Token.ExpiresAt - issuedAt > settings.MaxTokenLifetime)
        {
            return TokenFailureReasons.LifetimeTooLong;
        }

        if (revocations.IsKeyRetired(verified.SigningKeyId))
        {
            return TokenFailureReasons.KeyRetired;
        }

        if (settings.RevocationFeed is not null && revocations.IsOlderThan(settings.RevocationFeedMaxAge, now))
        {
            metrics.JudgedOnStaleRevocations(refused: settings.RevocationFeedFailClosed);
            if (settings.RevocationFeedFailClosed)
            {
                return TokenFailureReasons.RevocationsStale;
            }
        }

        return revocations.IsRevoked(verified.Jwt.Id, verified.RevokedSubjectName, issuedAt) ? TokenFailureReasons.Revoked : null;
    }

    private static string? PresentedToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private static string FailureReason(Exception exception) => exception switch
    {
        SigningKeyRetiredException => TokenFailureReasons.KeyRetired,
        SecurityTokenExpiredException => TokenFailureReasons.Expired,
        SecurityTokenNotYetValidException => TokenFailureReasons.NotYetValid,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => TokenFailureReasons.BadSignature,
        SecurityTokenInvalidAudienceException => TokenFailureReasons.WrongAudience,
        SecurityTokenInvalidIssuerException => TokenFailureReasons.WrongIssuer,
        SecurityTokenInvalidTypeException => TokenFailureReasons.WrongType,
        SecurityTokenInvalidAlgorithmException => TokenFailureReasons.BadAlgorithm,
        SecurityTokenMalformedException or ArgumentException => TokenFailureReasons.Malformed,
        _ => TokenFailureReasons.Invalid,
    };
}
