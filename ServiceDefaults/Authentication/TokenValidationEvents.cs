using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Hands the validated token to the request's <see cref="AccessTokenContext"/>, and tells the
/// request's server span what became of the token: validated or not, why not, whose it is, and
/// who acts for that user.
/// </summary>
internal sealed class TokenValidationEvents(TokenMetrics metrics, IOptions<TokenTelemetryOptions> telemetryOptions) : JwtBearerEvents
{
    public override Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken jwt)
        {
            return Task.CompletedTask;
        }

        var token = new AccessToken(jwt.EncodedToken, jwt.Subject, jwt.ValidTo);
        AccessTokenContext.SetRequestToken(token);

        if (ServerSpan(context.HttpContext) is { } span)
        {
            span.SetTag(TokenTelemetry.Validated, true);
            span.SetTag(TokenTelemetry.Fingerprint, token.Fingerprint);
            span.SetTag(TokenTelemetry.ActorChain, ActorChain(jwt));
            if (telemetryOptions.Value.RecordSubject)
            {
                span.SetTag(TokenTelemetry.UserId, token.Subject);
            }
        }

        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var presented = PresentedToken(context.Request);
        Refused(context.HttpContext, FailureReason(context.Exception), presented is null ? null : new AccessToken(presented, null, default).Fingerprint);
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        // A failed token was reported when it failed; here only the request that brought none.
        if (context.AuthenticateFailure is null && PresentedToken(context.Request) is null)
        {
            Refused(context.HttpContext, "missing", fingerprint: null);
        }

        return Task.CompletedTask;
    }

    private void Refused(HttpContext httpContext, string reason, string? fingerprint)
    {
        metrics.ValidationFailed(reason);

        if (ServerSpan(httpContext) is { } span)
        {
            span.SetTag(TokenTelemetry.Validated, false);
            span.SetTag(TokenTelemetry.FailureReason, reason);
            span.SetTag(TokenTelemetry.Fingerprint, fingerprint);
        }

        // A span of its own, so a refusal stands out in the trace even where the request succeeds anonymously.
        using var refusal = TokenTelemetry.ActivitySource.StartActivity("token refused");
        refusal?.SetTag(TokenTelemetry.FailureReason, reason);
        refusal?.SetTag(TokenTelemetry.Fingerprint, fingerprint);
        refusal?.SetStatus(ActivityStatusCode.Error, reason);
    }

    private static Activity? ServerSpan(HttpContext context) => context.Features.Get<IHttpActivityFeature>()?.Activity;

    private static string? PresentedToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private static string FailureReason(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not_yet_valid",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "bad_signature",
        SecurityTokenInvalidAudienceException => "wrong_audience",
        SecurityTokenInvalidIssuerException => "wrong_issuer",
        SecurityTokenInvalidTypeException => "wrong_type",
        SecurityTokenInvalidAlgorithmException => "bad_algorithm",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        _ => "invalid",
    };

    /// <summary>"profileservice, userservice": the current actor first, from the nested act claims.</summary>
    private static string? ActorChain(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<JsonElement>("act", out var act))
        {
            return null;
        }

        var actors = new List<string>();
        while (act.ValueKind == JsonValueKind.Object)
        {
            actors.Add(act.TryGetProperty("sub", out var sub) ? sub.ToString() : "?");
            act = act.TryGetProperty("act", out var inner) ? inner : default;
        }

        return string.Join(", ", actors);
    }
}
