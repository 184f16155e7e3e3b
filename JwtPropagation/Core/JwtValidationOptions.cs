using System.ComponentModel.DataAnnotations;

namespace JwtPropagation;

/// <summary>
/// How a service validates the bearer tokens it receives. Bound from the "JwtValidation"
/// section and validated at start-up; the audience is named in code by the service itself.
/// </summary>
public sealed class JwtValidationOptions : IValidatableObject
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "JwtValidation";

    /// <summary>The token type accepted when <see cref="TokenTypes"/> names none: a JWT access token (RFC 9068).</summary>
    public const string DefaultTokenType = "at+jwt";

    /// <summary>The same type as a full media type, which RFC 9068 (section 4) asks resource servers to accept too.</summary>
    public const string DefaultTokenMediaType = "application/at+jwt";

    /// <summary>The signing algorithm accepted when <see cref="ValidAlgorithms"/> names none.</summary>
    public const string DefaultAlgorithm = "RS256";

    /// <summary>The claim scopes are read from unless <see cref="ScopeClaim"/> says otherwise (RFC 9068).</summary>
    public const string DefaultScopeClaim = "scope";

    /// <summary>The shortest <see cref="RevocationFeedKey"/> accepted, in characters.</summary>
    public const int MinimumRevocationFeedKeyLength = 32;

    /// <summary>
    /// Where the issuer's metadata (and so its signing keys) is found, e.g.
    /// <c>https+http://identity</c> through service discovery, or an Entra ID / Keycloak / Auth0 URL.
    /// </summary>
    [Required]
    public string Authority { get; set; } = "";

    /// <summary>The expected <c>iss</c>; when empty, the issuer named in the authority's metadata.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// This service's own audience: a token for any other audience is rejected. The name the
    /// service gives itself in code, unless configured: an issuer of others may know the service by
    /// another name (Entra ID: the API's application ID URI or client ID).
    /// </summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>
    /// The token types (JOSE header <c>typ</c>) accepted. None configured means <c>at+jwt</c>, the
    /// JWT access token type of RFC 9068, in either of its spellings (<c>application/at+jwt</c>);
    /// the check itself cannot be turned off. Name others only
    /// for an issuer that marks its access tokens otherwise (Entra ID and Keycloak: <c>JWT</c>): its
    /// ID tokens are then kept out by their audience alone.
    /// </summary>
    public string[] TokenTypes { get; set; } = [];

    /// <summary>
    /// The claim the token's scopes are read from, as one space-separated string or an array:
    /// <c>scope</c> (RFC 9068, the default), <c>scp</c> for Entra ID. Whatever the issuer calls it,
    /// the request's user holds them as <c>scope</c> claims, the only ones it holds by that name.
    /// </summary>
    [Required]
    public string ScopeClaim { get; set; } = DefaultScopeClaim;

    /// <summary>Tolerance for clocks that disagree, at most 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The signing algorithms the issuer uses; anything else is rejected. None configured means
    /// <c>RS256</c>; naming others replaces it (an empty default, because configuration binding adds
    /// to an array rather than replacing it).
    /// </summary>
    public string[] ValidAlgorithms { get; set; } = [];

    /// <summary>The longest lifetime (exp - iat) a token may have; a longer-lived one is refused.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest token accepted, in bytes; a larger one is refused before it is parsed.</summary>
    [Range(1_024, 65_536)]
    public int MaxTokenSize { get; set; } = 8_192;

    /// <summary>
    /// Verified tokens kept at most, so a token seen again is not parsed and verified again; each
    /// is kept until its <c>exp</c> at most. A few kilobytes each.
    /// </summary>
    [Range(0, 1_000_000)]
    public int VerifiedTokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How often the issuer's metadata and signing keys are read again, in the background: a key
    /// the issuer retired is dropped then. Its new keys are published ahead of their use by more than this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IssuerKeysRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The least time between two reads of the issuer's keys caused by tokens signed by a key this
    /// service does not hold (a rotation it has not seen yet, or a made-up <c>kid</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The issuer's revocation feed (e.g. <c>https+http://identity/revocations</c>), read every
    /// <see cref="RevocationPollInterval"/>; none (or empty) means tokens are trusted until they
    /// expire, as with an issuer that publishes no such feed.
    /// </summary>
    public Uri? RevocationFeed { get; set; }

    /// <summary>
    /// The issuer is reached over plain http inside a network the platform keeps private (TLS ends
    /// at its ingress). Outside Development the authority, the revocation feed and the token
    /// endpoint must otherwise be https (or loopback).
    /// </summary>
    public bool TrustedInternalNetwork { get; set; }

    /// <summary>
    /// The secret the feed's user names are keyed with (<see cref="Incoming.RevokedSubjectHash"/>), shared with
    /// the issuer only; at least 32 characters. Required with <see cref="RevocationFeed"/>.
    /// </summary>
    public string? RevocationFeedKey { get; set; }

    /// <summary>How often the revocation feed is read (1 s by default; 0.1 s to 1 min): the longest a revoked token is still accepted, plus one read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RevocationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How old the revocation list may grow, while the feed cannot be read, before <c>/health</c>
    /// reports the service Degraded (with the reason) and each token judged on it is counted
    /// (<c>token.revocation_feed.stale</c>). At least two polls.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "1.00:00:00")]
    public TimeSpan RevocationFeedMaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refuse every token (401, <c>revocations_stale</c>) while the revocation list is older than
    /// <see cref="RevocationFeedMaxAge"/>, and report not ready: no revoked token gets in while the
    /// feed is out of reach, and no valid one either. Off by default: the list held stays in force,
    /// so an issuer outage stops sign-ins, not the users already signed in.
    /// </summary>
    public bool RevocationFeedFailClosed { get; set; }

    /// <summary>Checks the settings that depend on each other; called at start-up.</summary>
    /// <param name="validationContext">The context of the validation.</param>
    /// <returns>What is wrong, if anything.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Authority)} must be an absolute URI, got '{Authority}'.",
                [nameof(Authority)]);
        }

        if (!string.IsNullOrEmpty(Issuer) && !Uri.TryCreate(Issuer, UriKind.Absolute, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Issuer)} must be an absolute URI, got '{Issuer}'.",
                [nameof(Issuer)]);
        }

        if (RevocationFeed is not null && RevocationFeedKey is not { Length: >= MinimumRevocationFeedKeyLength })
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(RevocationFeedKey)} must be set, at least {MinimumRevocationFeedKeyLength} characters, with {nameof(RevocationFeed)}.",
                [nameof(RevocationFeedKey)]);
        }

        if (RevocationFeedMaxAge < 2 * RevocationPollInterval)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(RevocationFeedMaxAge)} must be at least two {nameof(RevocationPollInterval)}s.",
                [nameof(RevocationFeedMaxAge)]);
        }

        if (TokenTypes.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(TokenTypes)} may not name an empty type.",
                [nameof(TokenTypes)]);
        }

        if (ValidAlgorithms.Any(algorithm => string.IsNullOrWhiteSpace(algorithm)
                                             || algorithm.StartsWith("none", StringComparison.OrdinalIgnoreCase)
                                             || algorithm.StartsWith("HS", StringComparison.OrdinalIgnoreCase)))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(ValidAlgorithms)} may only name asymmetric algorithms.",
                [nameof(ValidAlgorithms)]);
        }
    }
}
