using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace JwtPropagation.Telemetry;

/// <summary>
/// What became of a request's token, told on the request's server span: accepted (for whom, on
/// whose behalf) or refused (why; also counted, and given a span of its own).
/// </summary>
internal sealed class IncomingTokenTelemetry(TokenMetrics metrics, IOptions<TokenTelemetryOptions> options)
{
    // Boxed once: a span tag is an object, and a bool boxed on every request is garbage on every request.
    private static readonly object Validated = true;
    private static readonly object NotValidated = false;

    public void Accepted(HttpContext httpContext, CallerToken token, string? actorChain)
    {
        if (ServerSpan(httpContext) is not { } span)
        {
            return;
        }

        span.SetTag(TokenTelemetry.Validated, Validated);
        span.SetTag(TokenTelemetry.Fingerprint, token.Fingerprint);
        span.SetTag(TokenTelemetry.ActorChain, actorChain);
        if (options.Value.RecordSubject)
        {
            span.SetTag(TokenTelemetry.UserId, token.Subject);
        }
    }

    public void Refused(HttpContext httpContext, string reason, string? fingerprint)
    {
        metrics.ValidationFailed(reason);

        if (ServerSpan(httpContext) is { } span)
        {
            span.SetTag(TokenTelemetry.Validated, NotValidated);
            span.SetTag(TokenTelemetry.FailureReason, reason);
            span.SetTag(TokenTelemetry.Fingerprint, fingerprint);
        }

        // A span of its own, so a refusal stands out in the trace even where the request goes on anonymously.
        using var refusal = TokenTelemetry.ActivitySource.StartActivity("token refused");
        refusal?.SetTag(TokenTelemetry.FailureReason, reason);
        refusal?.SetTag(TokenTelemetry.Fingerprint, fingerprint);
        refusal?.SetStatus(ActivityStatusCode.Error, reason);
    }

    private static Activity? ServerSpan(HttpContext context) => context.Features.Get<IHttpActivityFeature>()?.Activity;
}
