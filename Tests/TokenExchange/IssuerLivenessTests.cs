using JwtPropagation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Tests.Integration;
using Tests.TokenPropagation;

namespace Tests.TokenExchange;

/// <summary>
/// An exchange tells an issuer that is gone from one that is busy: it gives up on one whose port
/// accepts and never answers (a proxy in front of a stopped issuer) once a probe goes unanswered,
/// long before its resilience budget (20 s) runs out, and waits for one that is slow to exchange
/// but answers its probe.
/// </summary>
public sealed class IssuerLivenessTests
{
    // Well within the exchange's 20 s budget: a test that reaches it has waited for a silent issuer.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_issuer_whose_port_accepts_but_never_answers_is_told_unavailable_by_its_unanswered_probe()
    {
        using var timeout = TestTimeout.After(Limit);
        await using var silent = new SilentPort();
        await using var services = Services(new Uri(silent.Address, "connect/token"));

        var failed = await Assert.ThrowsAsync<TokenExchangeException>(() =>
            services.GetRequiredService<TokenExchangeClient>().ExchangeAsync(CallerToken, Target, timeout.Token));

        Assert.True(failed.IssuerUnavailable);
        // Given up on because the probe went unanswered, not because an attempt timed out.
        Assert.IsType<TimeoutException>(failed.InnerException);
    }

    [Fact]
    public async Task An_issuer_slow_to_exchange_that_answers_its_probe_is_waited_for()
    {
        using var timeout = TestTimeout.After(Limit);
        var probes = 0;
        var probedTwice = new TaskCompletionSource();
        await using var issuer = await TestListener.StartAsync("127.0.0.1", async context =>
        {
            if (context.Request.Path == "/alive")
            {
                if (Interlocked.Increment(ref probes) == 2)
                {
                    probedTwice.SetResult();
                }

                return;
            }

            // Busy: the exchange is answered only after the exchange has asked twice whether the issuer is there.
            await probedTwice.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new { access_token = "exchanged", expires_in = 300 }, context.RequestAborted);
        });
        await using var services = Services(new Uri(issuer.Address, "connect/token"));

        var exchanged = await services.GetRequiredService<TokenExchangeClient>().ExchangeAsync(CallerToken, Target, timeout.Token);

        Assert.Equal("exchanged", exchanged.Value);
        Assert.True(Volatile.Read(ref probes) >= 2);
    }

    private static CallerToken CallerToken => new("caller-token", "alice", DateTimeOffset.UtcNow.AddMinutes(5));

    private static ExchangeTarget Target => ExchangeTarget.Create("profileservice", ["profiles.read"]);

    private static ServiceProvider Services(Uri tokenEndpoint)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        services.AddSingleton(TimeProvider.System);
        services.AddTokenExchange();
        services.Configure<TokenExchangeOptions>(options =>
        {
            options.ClientId = "userservice";
            options.ClientSecret = "a-secret";
            options.TokenEndpoint = tokenEndpoint;
            // Short waits, so the busy issuer is asked about twice in well under a second.
            options.IssuerAnswerWait = TimeSpan.FromMilliseconds(200);
        });
        return services.BuildServiceProvider();
    }
}
