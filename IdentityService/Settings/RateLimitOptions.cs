namespace IdentityService.Settings;

/// <summary>
/// How often callers may knock at the endpoints strangers can reach (token, revocation, authorize,
/// sign-in), bound from <c>IdentityServer:RateLimits</c>. A confidential service client, named in
/// its Basic credentials, is counted on its own allowance; everyone else (people, public clients,
/// unknown callers) on their address's.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// Per caller address (an IPv6 caller by its /64 network). A sign-in in a browser takes five
    /// requests; a password check costs the issuer tens of milliseconds of CPU.
    /// </summary>
    public RateLimit PerAddress { get; set; } = new() { Burst = 30, PerSecond = 5 };

    /// <summary>
    /// Per confidential client: room for a service's wave of new tokens (each exchanges once),
    /// a bound on one that runs away.
    /// </summary>
    public RateLimit PerClient { get; set; } = new() { Burst = 1_000, PerSecond = 500 };
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled by <see cref="PerSecond"/> a second.</summary>
public sealed class RateLimit
{
    public const int Maximum = 1_000_000;

    public int Burst { get; set; }

    public int PerSecond { get; set; }
}
