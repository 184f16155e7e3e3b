using System.Diagnostics;
using System.Net;
using Tests.Integration;

namespace Tests.SignIn;

/// <summary>
/// Wrong passwords are throttled per account name, from anywhere, and end nothing of the user's:
/// a stranger can no longer log a user out by failing to sign in as them, nor tell from the time a
/// refusal takes whether an account exists.
/// </summary>
public sealed class GuessThrottleTests(DistributedAppFixture app) : IDisposable
{
    private readonly FormSignIn _issuer = new(app);

    private const int StrangersGuesses = 20;
    private const int TimedAttempts = 15;

    [Fact]
    public async Task A_strangers_wrong_passwords_at_the_page_and_the_grant_are_throttled_and_the_users_refresh_token_still_refreshes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // user197 signs in nowhere else; user093 is the bystander whose name no one guessed.
        var before = await _issuer.PasswordGrantAsync("user197", DistributedAppFixture.Password, "profiles.read offline_access", cancellationToken);
        Assert.NotNull(before.RefreshToken);
        using var stranger = new FormSignIn(app);

        for (var guess = 0; guess < StrangersGuesses; guess++)
        {
            using var page = await stranger.PostSignInAsync("user197", $"guess-{guess}", "/account/signin", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(FormSignIn.SignInRefused, await page.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
            Assert.Equal("invalid_grant", (await _issuer.PasswordGrantAsync("USER197", $"guess-{guess}", "profiles.read", cancellationToken)).Error);
        }

        // Past the shipped FailuresAllowed (10) the name is throttled: the right password is refused too, with the same answer.
        var throttled = await _issuer.PasswordGrantAsync("user197", DistributedAppFixture.Password, "profiles.read", cancellationToken);
        using var throttledPage = await stranger.PostSignInAsync("user197", DistributedAppFixture.Password, "/account/signin", cancellationToken);
        var bystander = await _issuer.PasswordGrantAsync("user093", DistributedAppFixture.Password, "profiles.read", cancellationToken);
        var refreshed = await _issuer.RefreshAsync("dev-cli", before.RefreshToken, cancellationToken);

        Assert.Equal("invalid_grant", throttled.Error);
        Assert.Equal(HttpStatusCode.OK, throttledPage.StatusCode);
        Assert.NotNull(bystander.AccessToken);
        Assert.Equal((HttpStatusCode.OK, null), (refreshed.Status, refreshed.Error));
        using var profiles = app.CreateClient("profileservice", refreshed.AccessToken!);
        using var me = await profiles.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_for_a_known_and_for_an_unknown_name_takes_the_same_time_to_refuse()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // One wrong password for each of 15 known users (far below FailuresAllowed), and 15 made-up names.
        var known = Enumerable.Range(170, TimedAttempts).Select(number => $"user{number:000}").ToArray();
        var unknown = Enumerable.Range(0, TimedAttempts).Select(_ => $"nobody-{Guid.NewGuid():N}").ToArray();
        await _issuer.PasswordGrantAsync("user200", "warm-up", "profiles.read", cancellationToken);
        await _issuer.PasswordGrantAsync($"nobody-{Guid.NewGuid():N}", "warm-up", "profiles.read", cancellationToken);

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var attempt = 0; attempt < TimedAttempts; attempt++)
        {
            // Interleaved, so that the machine's other work weighs on both alike.
            knownTimes.Add(await TimeRefusalAsync(known[attempt], cancellationToken));
            unknownTimes.Add(await TimeRefusalAsync(unknown[attempt], cancellationToken));
        }

        var (knownMedian, unknownMedian) = (Median(knownTimes), Median(unknownTimes));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"refusal medians over {TimedAttempts} each: known {knownMedian:0.0} ms, unknown {unknownMedian:0.0} ms (ratio {unknownMedian / knownMedian:0.00}); "
            + $"known {string.Join(", ", knownTimes.Select(time => time.ToString("0")))}; unknown {string.Join(", ", unknownTimes.Select(time => time.ToString("0")))}");
        Assert.True(unknownMedian >= 0.5 * knownMedian,
            $"An unknown name is refused in {unknownMedian:0.0} ms, a known one in {knownMedian:0.0} ms: the time tells which accounts exist.");
    }

    public void Dispose() => _issuer.Dispose();

    private async Task<double> TimeRefusalAsync(string user, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await _issuer.PasswordGrantAsync(user, "not-the-password", "profiles.read", cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal("invalid_grant", answer.Error);
        return elapsed;
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
