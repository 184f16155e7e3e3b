using System.Globalization;
using System.Security.Claims;
using JwtPropagation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using UserService.Users;

namespace UserService.Exports;

public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A job belongs to the token's subject, so a token without one cannot have jobs.
        var exports = endpoints.MapGroup("/users/me/exports")
            .RequireScope(UserEndpoints.ReadScope)
            .RequireAuthorization(policy => policy.RequireClaim(JwtRegisteredClaimNames.Sub));

        exports.MapPost("/", Queue);
        exports.MapGet("/{id:guid}", GetStatus).WithName(nameof(GetStatus));

        return endpoints;
    }

    private static Results<AcceptedAtRoute<ExportJob>, ProblemHttpResult> Queue(
        ClaimsPrincipal user, ExportQueue queue, IOptions<ExportOptions> options, HttpResponse response)
    {
        // The job runs after this request has ended, so it takes the caller's token along.
        if (queue.TryEnqueue(user.GetSubject()!, AccessTokenContext.Capture()) is { } job)
        {
            return TypedResults.AcceptedAtRoute(job, nameof(GetStatus), new { id = job.Id });
        }

        response.Headers.RetryAfter = ((int)options.Value.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Export queue full",
            detail: "Too many exports are waiting; nothing was queued. Try again after the Retry-After delay.");
    }

    private static Results<Ok<ExportJob>, NotFound> GetStatus(Guid id, ClaimsPrincipal user, ExportQueue queue) =>
        queue.Find(id, user.GetSubject()!) is { } job ? TypedResults.Ok(job) : TypedResults.NotFound();
}
