namespace IdentityService.Settings;

/// <summary>
/// How many wrong passwords one account name may be tried with, from anywhere, bound from
/// <c>IdentityServer:SignInThrottle</c>: a token bucket of failures per name, known or not. Past it,
/// every attempt for that name (the right password too) is refused with the usual message until the
/// bucket refills. Nothing of the user's changes: their sessions and refresh tokens go on working.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const int MaximumFailures = 1_000;

    /// <summary>Wrong passwords a name may take in a row before it is throttled.</summary>
    public int FailuresAllowed { get; set; } = 10;

    /// <summary>How long a throttled name waits for one more guess.</summary>
    public TimeSpan OneMoreAfter { get; set; } = TimeSpan.FromMinutes(1);
}
