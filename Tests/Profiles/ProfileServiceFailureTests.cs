using System.Net;
using Grpc.Core;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;
using UserService.Profiles;

namespace Tests.Profiles;

/// <summary>Each way a call to ProfileService fails, over HTTP or gRPC, gets the answer (request) and reason (job) it stands for.</summary>
public sealed class ProfileServiceFailureTests
{
    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, 401, "token refused")]
    [InlineData(HttpStatusCode.Forbidden, 403, "forbidden")]
    [InlineData(HttpStatusCode.NotFound, 404, "profile not found")]
    [InlineData(HttpStatusCode.InternalServerError, 502, "profile service failed")]
    [InlineData(HttpStatusCode.ServiceUnavailable, 503, "profile service unavailable")]
    public async Task An_answer_from_ProfileService_keeps_its_meaning(HttpStatusCode answered, int status, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://profileservice.test/profiles/me");
        using var response = new HttpResponseMessage(answered) { RequestMessage = request };
        var exception = await ApiException.Create(request, HttpMethod.Get, response, new RefitSettings());

        var failure = ProfileServiceFailure.From(exception);

        Assert.Equal((status, reason), (failure?.Status, failure?.Reason));
    }

    public static TheoryData<Exception, int, string> CausesRefitWraps() => new()
    {
        { new HttpRequestException("connection refused"), 503, "profile service unavailable" },
        { new TimeoutRejectedException(), 503, "profile service unavailable" },
        { new BrokenCircuitException(), 503, "profile service unavailable" },
        { new RateLimiterRejectedException(), 503, "profile service unavailable" },
        { new CallerTokenExpiredException("profiles", DateTimeOffset.UtcNow), 401, "token expired" },
        { TokenExchangeException.Unavailable(cause: null), 503, "issuer unavailable" },
        { TokenExchangeException.Refused("invalid_grant"), 401, "token exchange refused" },
        { TokenExchangeException.Refused("invalid_client"), 502, "token exchange failed" },
        { TokenExchangeException.Refused("invalid_scope"), 403, "insufficient scope" },
    };

    [Theory]
    [MemberData(nameof(CausesRefitWraps))]
    public void What_kept_a_request_from_being_answered_is_judged_by_its_cause(Exception cause, int status, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://profileservice.test/profiles/me");
        var exception = new ApiRequestException(request, HttpMethod.Get, new RefitSettings(), cause);

        var failure = ProfileServiceFailure.From(exception);

        Assert.Equal((status, reason), (failure?.Status, failure?.Reason));
    }

    [Fact]
    public async Task A_403_for_a_missing_scope_names_the_scope()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://profileservice.test/profiles/alice");
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden) { RequestMessage = request };
        response.Headers.WwwAuthenticate.ParseAdd("Bearer error=\"insufficient_scope\", scope=\"profiles.admin\"");
        var exception = await ApiException.Create(request, HttpMethod.Get, response, new RefitSettings());

        var failure = ProfileServiceFailure.From(exception);

        Assert.Equal((403, "insufficient scope", "profiles.admin"), (failure?.Status, failure?.Reason, failure?.Scope));
    }

    [Fact]
    public void A_missing_token_is_a_programming_error_not_a_ProfileService_failure()
    {
        Assert.Null(ProfileServiceFailure.From(new MissingCallerTokenException("profiles")));
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated, 401, "token refused")]
    [InlineData(StatusCode.PermissionDenied, 403, "forbidden")]
    [InlineData(StatusCode.NotFound, 404, "profile not found")]
    [InlineData(StatusCode.Unavailable, 503, "profile service unavailable")]
    [InlineData(StatusCode.DeadlineExceeded, 503, "profile service unavailable")]
    [InlineData(StatusCode.Internal, 502, "profile service failed")]
    [InlineData(StatusCode.Unimplemented, 502, "profile service failed")]
    public void A_gRPC_status_from_ProfileService_gets_the_answer_of_the_HTTP_status_it_stands_for(StatusCode answered, int status, string reason)
    {
        var failure = ProfileServiceFailure.From(new RpcException(new Status(answered, "answered")));

        Assert.Equal((status, reason), (failure?.Status, failure?.Reason));
    }

    [Theory]
    [MemberData(nameof(CausesRefitWraps))]
    public void What_kept_a_gRPC_call_from_being_answered_is_judged_by_its_cause(Exception cause, int status, string reason)
    {
        // The gRPC client reports a failure on this side as a status (Internal, Unavailable, ...) carrying its cause.
        var failure = ProfileServiceFailure.From(new RpcException(new Status(StatusCode.Internal, "failed here", cause)));

        Assert.Equal((status, reason), (failure?.Status, failure?.Reason));
    }

    [Fact]
    public void A_gRPC_permission_denied_for_a_missing_scope_names_the_scope()
    {
        var trailers = new Metadata { { "www-authenticate", "Bearer error=\"insufficient_scope\", scope=\"profiles.admin\"" } };

        var failure = ProfileServiceFailure.From(new RpcException(new Status(StatusCode.PermissionDenied, "denied"), trailers));

        Assert.Equal((403, "insufficient scope", "profiles.admin"), (failure?.Status, failure?.Reason, failure?.Scope));
    }

    [Fact]
    public void A_missing_token_is_a_programming_error_over_gRPC_too()
    {
        var missing = new RpcException(new Status(StatusCode.Internal, "failed here", new MissingCallerTokenException("profiles")));

        Assert.Null(ProfileServiceFailure.From(missing));
    }
}
