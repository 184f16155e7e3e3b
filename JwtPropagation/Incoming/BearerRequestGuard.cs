using JwtPropagation.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JwtPropagation.Incoming;

/// <summary>
/// Turns away, before any token is parsed, requests whose credentials are ambiguous or oversized
/// (RFC 6750 section 3.1): more than one Authorization header, a token sent both in the header and
/// in the query string or form body (400 <c>invalid_request</c>), or a header longer than the
/// largest token accepted (401 <c>invalid_token</c>). It runs before authentication, so it reads a
/// form body only when it is small (<see cref="MaxInspectedFormLength"/>): an unauthenticated caller
/// cannot make the service buffer a large one. A token in a larger body is never read either: no
/// part of the service takes a token from a form.
/// </summary>
internal sealed class BearerRequestGuard(
    RequestDelegate next,
    IOptions<JwtValidationOptions> options,
    IncomingTokenTelemetry telemetry,
    IHostEnvironment environment)
{
    private const string TokenParameter = "access_token";

    /// <summary>Room for a token at its largest and a few fields beside it.</summary>
    private const int MaxInspectedFormLength = 16 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var refusal = await FindRefusalAsync(context.Request);
        if (refusal is null)
        {
            await next(context);
            return;
        }

        var (status, error, reason, description) = refusal.Value;
        telemetry.Refused(context, reason, fingerprint: null);
        context.Response.StatusCode = status;
        context.Response.Headers.WWWAuthenticate = BearerChallenge.For(error, environment.IsDevelopment() ? description : null);

        if (context.RequestServices.GetService<IProblemDetailsService>() is { } problemDetails)
        {
            await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = status, Title = error, Detail = environment.IsDevelopment() ? description : null },
            });
        }
    }

    private async Task<(int Status, string Error, string Reason, string Description)?> FindRefusalAsync(HttpRequest request)
    {
        // Two header lines arrive as two values; a proxy may also have joined them with a comma,
        // which no bearer token (RFC 6750 b64token) contains.
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 1 || authorization.ToString().Contains(',', StringComparison.Ordinal))
        {
            return (StatusCodes.Status400BadRequest, BearerChallenge.InvalidRequest, TokenFailureReasons.DuplicateCredentials,
                "More than one Authorization header was sent.");
        }

        if (authorization.Count == 0)
        {
            return null;
        }

        if (authorization[0]!.Length > options.Value.MaxTokenSize + "Bearer ".Length)
        {
            return (StatusCodes.Status401Unauthorized, BearerChallenge.InvalidToken, TokenFailureReasons.Oversize,
                "The token is larger than any token this service accepts.");
        }

        if (request.Query.ContainsKey(TokenParameter) || await FormHoldsTokenAsync(request))
        {
            return (StatusCodes.Status400BadRequest, BearerChallenge.InvalidRequest, TokenFailureReasons.DuplicateCredentials,
                "A token was sent in the Authorization header and also in the query string or the form body.");
        }

        return null;
    }

    private static async Task<bool> FormHoldsTokenAsync(HttpRequest request) =>
        request.ContentLength is > 0 and <= MaxInspectedFormLength
        && request.HasFormContentType
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
        && contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        && (await request.ReadFormAsync(request.HttpContext.RequestAborted)).ContainsKey(TokenParameter);
}
