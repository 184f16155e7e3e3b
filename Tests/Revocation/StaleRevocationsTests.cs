using System.Diagnostics.Metrics;
using System.Security.Claims;
using JwtPropagation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Hostile;

namespace Tests.Revocation;

/// <summary>
/// A service whose revocation list has grown older than <c>RevocationFeedMaxAge</c> (the feed out of
/// reach) says so: Degraded with the reason, each token judged on it counted, and, set to fail
/// closed, every token refused and the service not ready.
/// </summary>
public sealed class StaleRevocationsTests : IDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly RevocationList _revocations = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public StaleRevocationsTests() =>
        _revocations.Apply(new RevocationFeedDocument(1, Complete: true, [], []), _time.GetUtcNow(), TimeSpan.FromSeconds(30));

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_list_read_within_the_max_age_is_healthy_and_judges_uncounted()
    {
        using var stale = StaleJudgements();
        _time.Advance(MaxAge);

        var health = await HealthAsync(failClosed: true);
        var refusal = await JudgeAsync(failClosed: true);

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Null(refusal);
        Assert.Empty(stale.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task An_older_list_is_Degraded_with_the_reason_and_each_token_judged_on_it_is_counted_and_accepted()
    {
        using var stale = StaleJudgements();
        _time.Advance(MaxAge + TimeSpan.FromSeconds(12));

        var health = await HealthAsync(failClosed: false);
        var refusal = await JudgeAsync(failClosed: false);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("The revocation feed was last read 42 s ago (at most 30 s)", health.Description, StringComparison.Ordinal);
        Assert.Null(refusal);
        var counted = Assert.Single(stale.GetMeasurementSnapshot());
        Assert.Equal(false, counted.Tags["token.refused"]);
    }

    [Fact]
    public async Task Set_to_fail_closed_an_older_list_refuses_every_token_and_the_service_is_not_ready()
    {
        using var stale = StaleJudgements();
        _time.Advance(MaxAge + TimeSpan.FromSeconds(1));

        var health = await HealthAsync(failClosed: true);
        var refusal = await JudgeAsync(failClosed: true);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.EndsWith("every token is refused until it is read.", health.Description, StringComparison.Ordinal);
        Assert.Contains("revocations stale", refusal, StringComparison.Ordinal);
        Assert.Equal(true, Assert.Single(stale.GetMeasurementSnapshot()).Tags["token.refused"]);
    }

    [Fact]
    public async Task Before_the_first_read_the_service_is_not_ready_and_says_what_it_waits_for()
    {
        var health = await new RevocationFeedHealthCheck(new RevocationList(), Settings(failClosed: false), _time)
            .CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal("Waiting for the first read of the issuer's revocation feed.", health.Description);
    }

    [Fact]
    public async Task Before_the_first_read_a_token_waits_for_it_and_is_judged_once_it_comes()
    {
        var unread = new RevocationList();
        var judging = JudgeAsync(failClosed: false, unread);
        Assert.False(judging.IsCompleted);

        unread.Apply(new RevocationFeedDocument(1, Complete: true, [], []), _time.GetUtcNow(), TimeSpan.FromSeconds(30));

        Assert.Null(await judging.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Before_the_first_read_a_token_is_refused_as_revocations_unread_after_10_s_without_one()
    {
        var judging = JudgeAsync(failClosed: false, new RevocationList());
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(judging.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Contains("revocations unread", await judging.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private Task<HealthCheckResult> HealthAsync(bool failClosed) =>
        new RevocationFeedHealthCheck(_revocations, Settings(failClosed), _time).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

    /// <summary>What the service makes of a valid token once JwtBearer has validated it: null when accepted, else why it refused it.</summary>
    private async Task<string?> JudgeAsync(bool failClosed, RevocationList? revocations = null)
    {
        var settings = Settings(failClosed);
        var metrics = new TokenMetrics(_services.GetRequiredService<IMeterFactory>());
        using var verified = new VerifiedTokenCache(settings, _time);
        var events = new TokenValidationEvents(
            new IncomingTokenTelemetry(metrics, Options.Create(new TokenTelemetryOptions())), metrics, verified, revocations ?? _revocations, settings, _time);

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var jwt = new RawJwt { Header = { ["alg"] = "RS256", ["typ"] = "at+jwt" }, Payload = { ["sub"] = "alice", ["jti"] = "j1", ["iat"] = now - 60, ["exp"] = now + 600 } };
        var context = new TokenValidatedContext(
            new DefaultHttpContext(), new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler)), new JwtBearerOptions())
        {
            Principal = new ClaimsPrincipal(new ClaimsIdentity(JwtBearerDefaults.AuthenticationScheme)),
            SecurityToken = new JsonWebToken(jwt.WithSignature("c2ln")),
        };

        using var request = CallerTokenContext.BeginRequest();
        await events.TokenValidated(context);
        return context.Result?.Failure?.Message;
    }

    private static IOptions<JwtValidationOptions> Settings(bool failClosed) => Options.Create(new JwtValidationOptions
    {
        Authority = "https://issuer.test/",
        Audience = "userservice",
        RevocationFeed = new Uri("https://issuer.test/revocations"),
        RevocationFeedKey = new string('k', JwtValidationOptions.MinimumRevocationFeedKeyLength),
        RevocationFeedMaxAge = MaxAge,
        RevocationFeedFailClosed = failClosed,
    });

    private MetricCollector<long> StaleJudgements() =>
        new(_services.GetRequiredService<IMeterFactory>(), TokenTelemetry.SourceName, "token.revocation_feed.stale");
}
