using JwtPropagation;
using Microsoft.AspNetCore.Diagnostics;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace UserService.Profiles;

/// <summary>Answers a request whose call to ProfileService failed with problem details saying why.</summary>
internal sealed class ProfileServiceExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    private const string RetryAfterSeconds = "1";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (ProfileServiceFailure.From(exception) is not { } failure)
        {
            return false;
        }

        httpContext.Response.StatusCode = failure.Status;
        switch (failure.Status)
        {
            case StatusCodes.Status401Unauthorized:
                httpContext.Response.Headers.WWWAuthenticate = BearerChallenge.For(BearerChallenge.InvalidToken);
                break;
            case StatusCodes.Status403Forbidden when failure.Scope is { } scope:
                // RFC 6750: the token is valid but grants too little; say which scope would do.
                httpContext.Response.Headers.WWWAuthenticate = BearerChallenge.ForMissingScope(scope);
                break;
            case StatusCodes.Status503ServiceUnavailable:
                // A dependency is busy or away for now: tell the caller when to try again.
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
                break;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = failure.Status, Title = failure.Reason, Detail = failure.Detail },
            Exception = exception,
        });
    }
}
