using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Microsoft.Extensions.Hosting;

/// <summary>Reports a refused incoming token: counted by reason, named on the server span, and a span of its own.</summary>
internal sealed class TokenRefusals(TokenMetrics metrics)
{
    public void Report(HttpContext httpContext, string reason, string? fingerprint)
    {
        metrics.ValidationFailed(reason);

        if (httpContext.Features.Get<IHttpActivityFeature>()?.Activity is { } serverSpan)
        {
            serverSpan.SetTag(TokenTelemetry.Validated, false);
            serverSpan.SetTag(TokenTelemetry.FailureReason, reason);
            serverSpan.SetTag(TokenTelemetry.Fingerprint, fingerprint);
        }

        // A span of its own, so a refusal stands out in the trace even where the request goes on anonymously.
        using var refusal = TokenTelemetry.ActivitySource.StartActivity("token refused");
        refusal?.SetTag(TokenTelemetry.FailureReason, reason);
        refusal?.SetTag(TokenTelemetry.Fingerprint, fingerprint);
        refusal?.SetStatus(ActivityStatusCode.Error, reason);
    }
}
