using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using IdentityService.Settings;
using Microsoft.Extensions.Options;

namespace IdentityService.Passwords;

/// <summary>
/// Wrong passwords counted per account name (<see cref="SignInThrottleOptions"/>), on top of the
/// per-address limits: guessing one user's password from many addresses is slowed as much as from
/// one. Unlike Identity's lockout it stores nothing on the user, so a stranger's guesses end none
/// of the user's sessions or refresh tokens.
/// </summary>
public sealed class GuessThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public GuessThrottle(IOptions<IdentityServerOptions> settings)
    {
        var throttle = settings.Value.SignInThrottle;

        // The partitioned limiter refills every bucket on one timer of its own (no timer per name)
        // and drops a name's bucket once it is full again and idle.
        _failures = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetTokenBucketLimiter(account, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = throttle.FailuresAllowed,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = throttle.OneMoreAfter,
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
    }

    /// <summary>Whether <paramref name="normalizedName"/> has used up its wrong passwords for now.</summary>
    public bool IsThrottled(string normalizedName)
    {
        // Whole permits only: the bucket refills by fractions between them, and asking for no permit
        // (AttemptAcquire(0)) would answer yes to a fraction.
        return _failures.GetStatistics(Key(normalizedName)) is not { CurrentAvailablePermits: >= 1 };
    }

    public void CountFailure(string normalizedName) => _failures.AttemptAcquire(Key(normalizedName)).Dispose();

    public void Dispose() => _failures.Dispose();

    // A fixed-size key, whatever length of name a stranger sends.
    private static string Key(string normalizedName) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedName)));
}
