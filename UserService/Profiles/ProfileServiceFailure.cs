using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using JwtPropagation;
using Polly;
using Refit;

namespace UserService.Profiles;

/// <summary>
/// Why a call to ProfileService failed, told once for both callers: a request answers with
/// <see cref="Status"/>, a background job records <see cref="Reason"/>.
/// </summary>
/// <param name="Scope">For a 403: the scope the caller's token lacks, for the answer's challenge.</param>
public sealed partial record ProfileServiceFailure(int Status, string Reason, string Detail, string? Scope = null)
{
    /// <summary>What ProfileService asks of every token (its <c>ProfileAccess.ReadScope</c>).</summary>
    public const string ProfileServiceReadScope = "profiles.read";

    public static readonly ProfileServiceFailure TokenExpired = new(
        StatusCodes.Status401Unauthorized, "token expired",
        "The access token expired before ProfileService could be called with it.");

    public static readonly ProfileServiceFailure TokenRefused = new(
        StatusCodes.Status401Unauthorized, "token refused",
        "ProfileService did not accept the access token.");

    public static readonly ProfileServiceFailure Forbidden = new(
        StatusCodes.Status403Forbidden, "forbidden",
        "ProfileService does not let this user read that profile.");

    /// <summary>The caller's token lacks <paramref name="scope"/>, which ProfileService requires for the call.</summary>
    public static ProfileServiceFailure InsufficientScope(string scope) => new(
        StatusCodes.Status403Forbidden, "insufficient scope",
        $"The access token does not grant the '{scope}' scope ProfileService requires for this.", scope);

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
    public static ProfileServiceFailure? From(Exception exception) => exception switch
    {
        // Refit and gRPC wrap whatever kept a call from getting an answer; judge it by its cause.
        ApiRequestException { InnerException: { } cause } => FromCause(cause),
        RpcException { Status.DebugException: { } cause } => FromCause(cause),
        RpcException answered => FromStatus(answered),
        _ => FromCause(exception),
    };

    private static ProfileServiceFailure? FromCause(Exception cause) => cause switch
    {
        CallerTokenExpiredException => TokenExpired,
        TokenExchangeException { IssuerUnavailable: true } => IssuerUnavailable,
        // invalid_scope: the caller's token grants nothing ProfileService accepts.
        TokenExchangeException { Error: "invalid_scope" } => InsufficientScope(ProfileServiceReadScope),
        // invalid_grant: the caller's token is not acceptable to the issuer (any more).
        TokenExchangeException { Error: "invalid_grant" } => ExchangeRefused,
        TokenExchangeException => ExchangeFailed,
        ApiException { StatusCode: HttpStatusCode.Unauthorized } => TokenRefused,
        ApiException { StatusCode: HttpStatusCode.Forbidden } forbidden => Refusal(forbidden.Headers.WwwAuthenticate.Select(challenge => challenge.Parameter)),
        ApiException { StatusCode: HttpStatusCode.NotFound } => NotFound,
        // ProfileService sheds load it cannot take now: it is there, but busy.
        ApiException { StatusCode: HttpStatusCode.ServiceUnavailable } => Unavailable,
        ApiException => Failed,
        // Unreachable or cut off, or refused by the client's own resilience: timed out, circuit open, too many calls at once.
        HttpRequestException or IOException or ExecutionRejectedException => Unavailable,
        _ => null,
    };

    /// <summary>ProfileService's answer over gRPC, as the HTTP API's status would say it.</summary>
    private static ProfileServiceFailure FromStatus(RpcException answered) => answered.StatusCode switch
    {
        StatusCode.Unauthenticated => TokenRefused,
        StatusCode.PermissionDenied => Refusal(answered.Trailers.GetAll(GrpcChallengeKey).Select(entry => entry.Value)),
        StatusCode.NotFound => NotFound,
        // Unreachable, busy (its 503 arrives as Unavailable), or out of time.
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        _ => Failed,
    };

    /// <summary>A 403, naming the scope when its <c>insufficient_scope</c> challenge (RFC 6750 section 3) does.</summary>
    private static ProfileServiceFailure Refusal(IEnumerable<string?> challenges) =>
        challenges.Select(challenge => InsufficientScopeChallenge().Match(challenge ?? string.Empty))
            .FirstOrDefault(match => match.Success)?.Groups["scope"].Value is { } scope
            ? InsufficientScope(scope)
            : Forbidden;

    // A 403's challenge: the WWW-Authenticate header over HTTP, the same value in gRPC trailers (ProfileGrpcService).
    private const string GrpcChallengeKey = "www-authenticate";

    [GeneratedRegex(@"error=""insufficient_scope"".*scope=""(?<scope>[^""]+)""")]
    private static partial Regex InsufficientScopeChallenge();
}
