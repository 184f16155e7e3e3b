using System.Net;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>
/// What the dashboard shows of a token's way through the chain: validated at each hop, for whom,
/// exchanged in between, and why it was refused when it was: the same over each transport to
/// ProfileService (HTTP on the shared app, gRPC on <see cref="GrpcTransportApp"/>).
/// </summary>
/// <param name="profileServiceSpan">The name of ProfileService's span for the user's own profile.</param>
public abstract class TokenChainTelemetryTests(DistributedAppFixture app, string profileServiceSpan)
{
    [Fact]
    public async Task One_trace_follows_the_token_from_UserService_through_the_exchange_to_ProfileService()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        // A token no other test used, so UserService exchanges it in this very call.
        var userToken = await app.GetFreshTokenAsync("alice", "users.read profiles.read", cancellationToken);
        using var client = app.CreateClient("userservice", userToken);

        var traceId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        // Each service's last span to end, so the trace is whole once they are in.
        var trace = await telemetry.WaitForTraceAsync(
            traceId,
            trace => trace.Has("userservice", "GET /users/me") && trace.Has("profileservice", profileServiceSpan) && trace.Has("identity", "POST connect/token"),
            cancellationToken);

        var userFingerprint = new CallerToken(userToken, "alice", default).Fingerprint;
        var received = Single(trace, "userservice", OtlpSpanKind.Server);
        Assert.Equal("true", received.Attributes.Value(TokenTelemetry.Validated));
        Assert.Equal(userFingerprint, received.Attributes.Value(TokenTelemetry.Fingerprint));
        Assert.Equal("alice", received.Attributes.Value(TokenTelemetry.UserId));

        var exchange = Assert.Single(trace.SpansOf("userservice"), span => span.Span.Name == "token exchange").Span;
        Assert.Equal(userFingerprint, exchange.Attributes.Value(TokenTelemetry.Fingerprint));
        Assert.Equal("miss", exchange.Attributes.Value(TokenTelemetry.ExchangeCache));
        Assert.Equal("profileservice", exchange.Attributes.Value(TokenTelemetry.Audience));
        Assert.True(double.Parse(exchange.Attributes.Value(TokenTelemetry.IssuerDuration)!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var issuer = Assert.Single(trace.SpansOf("identity"), span => span.Span.Name == "POST connect/token").Span;
        Assert.Equal(exchange.SpanId, ParentOf(trace, issuer).ParentSpanId);

        var sent = Assert.Single(trace.SpansOf("userservice"), span =>
            span.Span.Kind == OtlpSpanKind.Client && span.Span.Attributes.Value(TokenTelemetry.Outcome) is not null).Span;
        Assert.Equal("exchanged", sent.Attributes.Value(TokenTelemetry.Outcome));
        Assert.Equal("profileservice", sent.Attributes.Value(TokenTelemetry.Audience));
        var exchangedFingerprint = sent.Attributes.Value(TokenTelemetry.Fingerprint);
        Assert.NotNull(exchangedFingerprint);
        Assert.NotEqual(userFingerprint, exchangedFingerprint);

        var validated = Single(trace, "profileservice", OtlpSpanKind.Server);
        Assert.Equal(sent.SpanId, validated.ParentSpanId);
        Assert.Equal("true", validated.Attributes.Value(TokenTelemetry.Validated));
        Assert.Equal(exchangedFingerprint, validated.Attributes.Value(TokenTelemetry.Fingerprint));
        Assert.Equal("alice", validated.Attributes.Value(TokenTelemetry.UserId));
        Assert.Equal("userservice", validated.Attributes.Value(TokenTelemetry.ActorChain));

        // The same token again: UserService's own wiring sends the token it exchanged before, with
        // no exchange and nothing asked of the issuer (README: once per token).
        var againId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        var again = await telemetry.WaitForTraceAsync(
            againId, trace => trace.Has("userservice", "GET /users/me") && trace.Has("profileservice", profileServiceSpan), cancellationToken);
        Assert.DoesNotContain(again.SpansOf("userservice"), span => span.Span.Name == "token exchange");
        Assert.DoesNotContain(again.SpansOf("identity"), span => span.Span.Name == "POST connect/token");
        var sentAgain = Assert.Single(again.SpansOf("userservice"), span =>
            span.Span.Kind == OtlpSpanKind.Client && span.Span.Attributes.Value(TokenTelemetry.Outcome) is not null).Span;
        Assert.Equal(exchangedFingerprint, sentAgain.Attributes.Value(TokenTelemetry.Fingerprint));
    }

    /// <summary>
    /// The summary's three calls to ProfileService start at once with a token UserService has not
    /// seen: they share one exchange (the others wait for it, or find it done), one request to the
    /// issuer, and all three send the one token it gave.
    /// </summary>
    [Fact]
    public async Task Calls_started_at_once_with_a_new_token_share_one_exchange()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        var userToken = await app.GetFreshTokenAsync("alice", "users.read profiles.read", cancellationToken);
        using var client = app.CreateClient("userservice", userToken);

        var traceId = await TracedCall.GetAsync(client, "/users/me/summary", cancellationToken);
        var trace = await telemetry.WaitForTraceAsync(
            traceId,
            trace => trace.Has("userservice", "GET /users/me/summary") && trace.Has("identity", "POST connect/token")
                && trace.SpansOf("profileservice").Count(span => span.Span.Kind == OtlpSpanKind.Server) == 3,
            cancellationToken);

        var lookups = trace.SpansOf("userservice").Where(span => span.Span.Name == "token exchange")
            .Select(span => span.Span.Attributes.Value(TokenTelemetry.ExchangeCache)).ToList();
        Assert.Single(lookups, lookup => lookup == "miss");
        Assert.All(lookups, lookup => Assert.Contains(lookup, new[] { "miss", "shared" }));
        Assert.Single(trace.SpansOf("identity"), span => span.Span.Name == "POST connect/token");
        var sent = trace.SpansOf("profileservice").Where(span => span.Span.Kind == OtlpSpanKind.Server)
            .Select(span => span.Span.Attributes.Value(TokenTelemetry.Fingerprint)).Distinct().ToList();
        Assert.NotNull(Assert.Single(sent));
    }

    [Fact]
    public async Task A_call_with_an_expired_token_leaves_a_trace_that_names_the_reason()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        var expired = app.Forge.Mint("alice", ["userservice"], DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(15), "users.read");
        using var client = app.CreateClient("userservice", expired);

        var (traceId, status, _) = await TracedCall.SendAsync(client, HttpMethod.Get, "/users/me", cancellationToken);
        var trace = await telemetry.WaitForTraceAsync(
            traceId, trace => trace.Has("userservice", "GET /users/me") && trace.Has("userservice", "token refused"), cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var received = Single(trace, "userservice", OtlpSpanKind.Server);
        Assert.Equal("false", received.Attributes.Value(TokenTelemetry.Validated));
        Assert.Equal("expired", received.Attributes.Value(TokenTelemetry.FailureReason));
        Assert.Equal(new CallerToken(expired, null, default).Fingerprint, received.Attributes.Value(TokenTelemetry.Fingerprint));
        var refusal = Assert.Single(trace.SpansOf("userservice"), span => span.Span.Name == "token refused").Span;
        Assert.Equal(OtlpStatusCode.Error, refusal.Status?.Code);
        Assert.Equal("expired", refusal.Attributes.Value(TokenTelemetry.FailureReason));
    }

    private static OtlpSpan Single(TelemetryTrace trace, string service, OtlpSpanKind kind) =>
        Assert.Single(trace.SpansOf(service), span => span.Span.Kind == kind).Span;

    // The identity service's server span hangs under UserService's HttpClient span.
    private static OtlpSpan ParentOf(TelemetryTrace trace, OtlpSpan span) =>
        trace.Spans.Single(candidate => candidate.Span.SpanId == span.ParentSpanId).Span;
}

public sealed class TokenChainTelemetryOverHttpTests(DistributedAppFixture app) : TokenChainTelemetryTests(app, "GET /profiles/me");

[Collection(typeof(GrpcTransport))]
public sealed class TokenChainTelemetryOverGrpcTests(GrpcTransportApp app) : TokenChainTelemetryTests(app, "POST /profiles.v1.Profiles/GetMyProfile");
