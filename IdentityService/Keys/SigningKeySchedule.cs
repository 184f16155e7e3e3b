using IdentityService.Settings;

namespace IdentityService.Keys;

/// <summary>
/// Which signing key does what at a given instant, from nothing but the keys' activation times and
/// retirements: the latest key whose time has come signs; later ones are published ahead of their
/// use; earlier ones stay published until the last access token they signed has expired (their
/// successor's activation plus <c>publication</c>), and verify the issuer's own longer-lived tokens
/// until those have expired too (plus <c>retention</c>), then they are retired. A key an admin
/// retired (<see cref="SigningKey.RetiredAt"/>) does none of this: it is only kept, withdrawn, until
/// its access tokens would have expired.
/// </summary>
internal sealed record SigningKeySchedule(
    SigningKeyState Active,
    IReadOnlyList<SigningKeyState> Held,
    IReadOnlyList<SigningKeyState> Withdrawn,
    IReadOnlyList<SigningKeyState> Retired,
    DateTime? NewKeyDueAt)
{
    /// <summary>The key that signs first, then the others: the order OpenIddict takes them in.</summary>
    public IReadOnlyList<SigningKeyState> InSigningOrder { get; } =
        [Active, .. Held.Where(key => key.ActivatesAt > Active.ActivatesAt), .. Held.Where(key => key.ActivatesAt < Active.ActivatesAt).Reverse()];

    /// <summary>A key published ahead of its use, if a rotation is under way.</summary>
    public SigningKeyState? Next => Held.FirstOrDefault(key => key.ActivatesAt > Active.ActivatesAt);

    /// <summary>
    /// The next instant this schedule changes by itself: a key activates, leaves the key set or
    /// retires, or a new key is due.
    /// </summary>
    public DateTime? NextChangeAt { get; init; }

    /// <summary>The keys held that the key set no longer lists at <paramref name="now"/>: they verify the issuer's own tokens only.</summary>
    public IEnumerable<SigningKeyState> UnpublishedAt(DateTime now) => Held.Where(key => key.PublishedUntil <= now);

    /// <param name="keys">Every key in the store; at least one not retired by an admin.</param>
    /// <param name="retention">The longest lifetime of any token the issuer signs; null retires no key.</param>
    /// <param name="publication">
    /// How long a key stays in the key set after its successor activates, and a key an admin retired
    /// is kept withdrawn: as long as a token a service or client checks against the key set may live
    /// (clock skew included). Null: as long as <paramref name="retention"/>.
    /// </param>
    public static SigningKeySchedule At(
        DateTime now, IReadOnlyCollection<SigningKey> keys, SigningKeyOptions options, TimeSpan? retention, TimeSpan? publication = null)
    {
        if (!keys.Any(key => key.RetiredAt is null))
        {
            throw new ArgumentException("The schedule needs at least one key not retired.", nameof(keys));
        }

        publication ??= retention;
        var ordered = keys.OrderBy(key => key.ActivatesAt).ThenBy(key => key.Id, StringComparer.Ordinal).ToList();

        // Before the first activation (a fresh store's key is active at once) the first key signs.
        // A retired key's tokens are refused: its successor in time still bounds its predecessor's.
        var activeIndex = ordered.FindLastIndex(key => key.RetiredAt is null && key.ActivatesAt <= now);
        activeIndex = activeIndex >= 0 ? activeIndex : ordered.FindIndex(key => key.RetiredAt is null);
        var states = ordered.Select((key, index) => key.RetiredAt is { } retiredAt
            ? new SigningKeyState(key.Id, key.ActivatesAt, RetiresAt: retiredAt, PublishedUntil: retiredAt, RetiredAt: retiredAt)
            : new SigningKeyState(
                key.Id,
                key.ActivatesAt,
                RetiresAt: index < activeIndex ? ordered[index + 1].ActivatesAt + retention : null,
                PublishedUntil: index < activeIndex ? ordered[index + 1].ActivatesAt + publication : null)).ToList();

        var active = states[activeIndex];
        var live = states.Where(key => key.RetiredAt is null).ToList();
        var held = live.Where(key => key.RetiresAt is not { } retiresAt || retiresAt > now).ToList();
        var withdrawn = states.Where(key => key.RetiredAt is { } retiredAt && (publication is not { } kept || retiredAt + kept > now)).ToList();
        var retired = states.Except(held).Except(withdrawn).ToList();

        // The next key is written when it must be published to sign at the end of the period, or at
        // once if that moment has passed; never while another one is already waiting.
        DateTime? newKeyDueAt = live.Any(key => key.ActivatesAt > active.ActivatesAt)
            ? null
            : active.ActivatesAt + options.RotationPeriod - options.PublishLead;

        DateTime?[] changes =
        [
            .. live.Where(key => key.ActivatesAt > now).Select(key => (DateTime?)key.ActivatesAt),
            .. held.Select(key => key.RetiresAt),
            .. held.Select(key => key.PublishedUntil),
            .. withdrawn.Select(key => key.RetiredAt + publication),
            newKeyDueAt,
        ];

        return new SigningKeySchedule(active, held, withdrawn, retired, newKeyDueAt)
        {
            NextChangeAt = changes.Where(change => change > now).Min(),
        };
    }
}

/// <summary>One key in a <see cref="SigningKeySchedule"/>. All times UTC.</summary>
/// <param name="RetiresAt">When it stops verifying: then, or when an admin retired it.</param>
/// <param name="PublishedUntil">When it leaves the key set; null while it signs or is about to.</param>
/// <param name="RetiredAt">When an admin retired it, if one did.</param>
internal sealed record SigningKeyState(string Id, DateTime ActivatesAt, DateTime? RetiresAt, DateTime? PublishedUntil, DateTime? RetiredAt = null);
