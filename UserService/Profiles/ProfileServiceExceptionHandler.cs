using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace UserService.Profiles;

/// <summary>
/// Turns a failed call to ProfileService into the answer the caller should see:
/// its 401/403/404 pass through, anything that kept it from answering is a 503.
/// </summary>
internal sealed class ProfileServiceExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Refit wraps whatever kept a request from getting an answer; judge it by its cause.
        var cause = exception is ApiRequestException { InnerException: { } inner } ? inner : exception;
        var problem = cause switch
        {
            ApiException { StatusCode: HttpStatusCode.Unauthorized } => Problem(
                StatusCodes.Status401Unauthorized, "ProfileService did not accept the token",
                "The access token was refused by ProfileService."),
            ApiException { StatusCode: HttpStatusCode.Forbidden } => Problem(
                StatusCodes.Status403Forbidden, "Forbidden",
                "ProfileService does not let this user read that profile."),
            ApiException { StatusCode: HttpStatusCode.NotFound } => Problem(
                StatusCodes.Status404NotFound, "Profile not found",
                "ProfileService has no profile for that user."),
            ApiException => Problem(
                StatusCodes.Status502BadGateway, "ProfileService failed",
                "ProfileService answered with an error."),
            HttpRequestException or TimeoutRejectedException or BrokenCircuitException => Problem(
                StatusCodes.Status503ServiceUnavailable, "ProfileService is unavailable",
                "ProfileService could not be reached; try again shortly."),
            _ => null,
        };

        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };
}
