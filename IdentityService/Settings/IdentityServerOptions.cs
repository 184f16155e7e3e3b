namespace IdentityService.Settings;

/// <summary>The service's settings, bound from the <c>IdentityServer</c> configuration section.</summary>
public sealed class IdentityServerOptions
{
    public const string SectionName = "IdentityServer";

    /// <summary>The shortest <see cref="KeyEncryptionKey"/> accepted, in characters.</summary>
    public const int MinimumKeyEncryptionKeyLength = ServiceDefaults.KeysAtRest.KeyEncryptionKey.MinimumSecretLength;

    /// <summary>
    /// The issuer (<c>iss</c>) of every token. Required: the AppHost hands the same value to every
    /// service, so it is never guessed from the incoming request.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>Where the database (signing keys included) and the encryption key live; relative paths start at the content root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a grant's refresh tokens may be used, counted from the grant's start (the sign-in
    /// or password grant), however often they are rolled; then the person signs in again.
    /// </summary>
    public TimeSpan RefreshTokenAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The secret the revocation feed's user names are keyed with, shared with the services only
    /// (<c>JwtValidation:RevocationFeedKey</c> there); at least 32 characters.
    /// </summary>
    public string RevocationFeedKey { get; set; } = "";

    /// <summary>
    /// The secret every private key in the store is sealed with (signing, encryption and Data
    /// Protection keys); kept out of the store, so a copy of the database alone forges nothing.
    /// At least 32 characters; the store opens with this key only.
    /// </summary>
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>
    /// Revoked access tokens of one subject the feed lists one by one; past that they are listed as
    /// one line, "every token of this subject issued until the latest of them", so that no user can
    /// grow the feed by revoking token after token. That line also ends the user's other access
    /// tokens issued before it (they refresh), never their sessions or refresh tokens.
    /// </summary>
    public int RevocationFeedTokensPerSubject { get; set; } = 10;

    /// <summary>How the signing keys rotate.</summary>
    public SigningKeyOptions SigningKeys { get; set; } = new();

    /// <summary>How often the store is pruned of what can no longer be used (<c>IdentityServer:PruningInterval</c>).</summary>
    public TimeSpan PruningInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The clients allowed to use token exchange, keyed by client id. Configuration, not seed data:
    /// every environment needs them, and the store is made to match this list at each start.
    /// </summary>
    public Dictionary<string, ServiceClientOptions> ServiceClients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The public clients people sign in through, keyed by client id; made to match at each start too.</summary>
    public Dictionary<string, PublicClientOptions> PublicClients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often callers may knock at the token, revocation, authorize and sign-in endpoints.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>How many wrong passwords one account name may be tried with, from any address.</summary>
    public SignInThrottleOptions SignInThrottle { get; set; } = new();
}
