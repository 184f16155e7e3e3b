using IdentityService.Settings;

namespace IdentityService.Keys;

/// <summary>
/// Which signing key does what at a given instant, from nothing but the keys' activation times:
/// the latest key whose time has come signs; later ones are published ahead of their use; earlier
/// ones stay published until the last token they signed has expired (their successor's activation
/// plus <paramref name="retention"/>), then they are retired.
/// </summary>
internal sealed record SigningKeySchedule(
    SigningKeyState Active,
    IReadOnlyList<SigningKeyState> Published,
    IReadOnlyList<SigningKeyState> Retired,
    DateTime? NewKeyDueAt)
{
    /// <summary>The key that signs first, then the others: the order OpenIddict takes them in.</summary>
    public IReadOnlyList<SigningKeyState> InSigningOrder { get; } =
        [Active, .. Published.Where(key => key.ActivatesAt > Active.ActivatesAt), .. Published.Where(key => key.ActivatesAt < Active.ActivatesAt).Reverse()];

    /// <summary>A key published ahead of its use, if a rotation is under way.</summary>
    public SigningKeyState? Next => Published.FirstOrDefault(key => key.ActivatesAt > Active.ActivatesAt);

    /// <summary>
    /// The next instant this schedule changes by itself: a key activates or retires, or a new key is due.
    /// </summary>
    public DateTime? NextChangeAt { get; init; }

    /// <param name="keys">Every key in the store; at least one.</param>
    /// <param name="retention">The longest lifetime of any token the issuer signs; null retires no key.</param>
    public static SigningKeySchedule At(DateTime now, IReadOnlyCollection<SigningKey> keys, SigningKeyOptions options, TimeSpan? retention)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("The schedule needs at least one key.", nameof(keys));
        }

        var ordered = keys.OrderBy(key => key.ActivatesAt).ThenBy(key => key.Id, StringComparer.Ordinal).ToList();

        // Before the first activation (a fresh store's key is active at once) the first key signs.
        var activeIndex = Math.Max(0, ordered.FindLastIndex(key => key.ActivatesAt <= now));
        var states = ordered.Select((key, index) => new SigningKeyState(
            key.Id,
            key.ActivatesAt,
            RetiresAt: index < activeIndex ? ordered[index + 1].ActivatesAt + retention : null)).ToList();

        var active = states[activeIndex];
        var published = states.Where(key => key.RetiresAt is not { } retiresAt || retiresAt > now).ToList();
        var retired = states.Where(key => key.RetiresAt <= now).ToList();

        // The next key is written when it must be published to sign at the end of the period, or at
        // once if that moment has passed; never while another one is already waiting.
        DateTime? newKeyDueAt = states.Any(key => key.ActivatesAt > active.ActivatesAt)
            ? null
            : active.ActivatesAt + options.RotationPeriod - options.PublishLead;

        DateTime?[] changes =
        [
            .. states.Where(key => key.ActivatesAt > now).Select(key => (DateTime?)key.ActivatesAt),
            .. published.Select(key => key.RetiresAt),
            newKeyDueAt,
        ];

        return new SigningKeySchedule(active, published, retired, newKeyDueAt)
        {
            NextChangeAt = changes.Where(change => change > now).Min(),
        };
    }
}

/// <summary>One key in a <see cref="SigningKeySchedule"/>. All times UTC.</summary>
internal sealed record SigningKeyState(string Id, DateTime ActivatesAt, DateTime? RetiresAt);
