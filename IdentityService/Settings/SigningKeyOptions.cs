namespace IdentityService.Settings;

/// <summary>
/// How the signing keys rotate (<c>IdentityServer:SigningKeys</c>). A new key is published
/// <see cref="PublishLead"/> before it signs, so that every resource server has fetched it by then;
/// a key stops being published once the last token it signed has expired.
/// </summary>
public sealed class SigningKeyOptions
{
    /// <summary>How long a key signs before the next one takes over.</summary>
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a new key is published before it signs: longer than any resource server caches the
    /// issuer's keys (ours refresh every 10 minutes, IdentityModel's default is 12 hours).
    /// </summary>
    public TimeSpan PublishLead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often the keys are read from the store again: to carry out the schedule, and to pick up
    /// keys another instance of the issuer wrote. Shorter than <see cref="PublishLead"/>.
    /// </summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
}
