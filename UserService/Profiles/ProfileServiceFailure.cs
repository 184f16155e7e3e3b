using System.Net;
using Polly;
using Refit;

namespace UserService.Profiles;

/// <summary>
/// Why a call to ProfileService failed, told once for both callers: a request answers with
/// <see cref="Status"/>, a background job records <see cref="Reason"/>.
/// </summary>
public sealed record ProfileServiceFailure(int Status, string Reason, string Detail)
{
    public static readonly ProfileServiceFailure TokenExpired = new(
        StatusCodes.Status401Unauthorized, "token expired",
        "The access token expired before ProfileService could be called with it.");

    public static readonly ProfileServiceFailure TokenRefused = new(
        StatusCodes.Status401Unauthorized, "token refused",
        "ProfileService did not accept the access token.");

    public static readonly ProfileServiceFailure Forbidden = new(
        StatusCodes.Status403Forbidden, "forbidden",
        "ProfileService does not let this user read that profile.");

    public static readonly ProfileServiceFailure NotFound = new(
        StatusCodes.Status404NotFound, "profile not found",
        "ProfileService has no profile for that user.");

    public static readonly ProfileServiceFailure ExchangeRefused = new(
        StatusCodes.Status401Unauthorized, "token exchange refused",
        "The issuer refused to exchange the access token for one ProfileService accepts.");

    public static readonly ProfileServiceFailure ExchangeFailed = new(
        StatusCodes.Status502BadGateway, "token exchange failed",
        "The issuer did not exchange the access token; this service's client settings may be wrong.");

    public static readonly ProfileServiceFailure IssuerUnavailable = new(
        StatusCodes.Status503ServiceUnavailable, "issuer unavailable",
        "The issuer could not be reached to exchange the access token; try again shortly.");

    public static readonly ProfileServiceFailure Failed = new(
        StatusCodes.Status502BadGateway, "profile service failed",
        "ProfileService answered with an error.");

    public static readonly ProfileServiceFailure Unavailable = new(
        StatusCodes.Status503ServiceUnavailable, "profile service unavailable",
        "ProfileService could not be reached; try again shortly.");

    /// <summary>The failure <paramref name="exception"/> stands for, or null if it is not a ProfileService failure.</summary>
    public static ProfileServiceFailure? From(Exception exception)
    {
        // Refit wraps whatever kept a request from getting an answer; judge it by its cause.
        var cause = exception is ApiRequestException { InnerException: { } inner } ? inner : exception;

        return cause switch
        {
            AccessTokenExpiredException => TokenExpired,
            TokenExchangeException { IssuerUnavailable: true } => IssuerUnavailable,
            // invalid_grant: the caller's token is not acceptable to the issuer (any more).
            TokenExchangeException { Error: "invalid_grant" } => ExchangeRefused,
            TokenExchangeException => ExchangeFailed,
            ApiException { StatusCode: HttpStatusCode.Unauthorized } => TokenRefused,
            ApiException { StatusCode: HttpStatusCode.Forbidden } => Forbidden,
            ApiException { StatusCode: HttpStatusCode.NotFound } => NotFound,
            // ProfileService sheds load it cannot take now: it is there, but busy.
            ApiException { StatusCode: HttpStatusCode.ServiceUnavailable } => Unavailable,
            ApiException => Failed,
            // Unreachable, or refused by the client's own resilience: timed out, circuit open, too many calls at once.
            HttpRequestException or ExecutionRejectedException => Unavailable,
            _ => null,
        };
    }
}
