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
            .RequireTokenScope(UserEndpoints.ReadScope)
            .RequireAuthorization(policy => policy.RequireClaim(JwtRegisteredClaimNames.Sub));

        exports.MapPost("/", Queue).ProducesProblem(StatusCodes.Status429TooManyRequests);
        exports.MapGet("/{id:guid}", GetStatus).WithName(nameof(GetStatus));

        return endpoints;
    }

    private static async Task<Results<AcceptedAtRoute<ExportJob>, ProblemHttpResult>> Queue(
        ClaimsPrincipal user, ExportQueue queue, IOptions<ExportOptions> options, HttpResponse response, CancellationToken cancellationToken)
    {
        // The job runs after this request has ended, with a delegation made for it from the caller's token.
        var (job, refusal) = await queue.QueueAsync(user.GetSubject()!, cancellationToken);
        if (job is not null)
        {
            return TypedResults.AcceptedAtRoute(job, nameof(GetStatus), new { id = job.Id });
        }

        response.SetRetryAfter(options.Value.RetryAfter);
        return refusal == ExportRefusal.TooManyPending
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many exports of yours",
                detail: $"You have {options.Value.MaxPendingPerUser} exports queued or running; nothing was queued. Try again after the Retry-After delay.")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Export queue full",
                detail: "Too many exports are waiting; nothing was queued. Try again after the Retry-After delay.");
    }

    private static async Task<Results<Ok<ExportJob>, NotFound>> GetStatus(
        Guid id, ClaimsPrincipal user, ExportStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, user.GetSubject()!, cancellationToken) is { } job ? TypedResults.Ok(job) : TypedResults.NotFound();
}
