using System.ComponentModel.DataAnnotations;

namespace JwtPropagation.Outgoing;

/// <summary>
/// This service's credentials at the issuer, for exchanging callers' tokens (RFC 8693). Bound from
/// the "TokenExchange" section and validated at start-up when a client uses
/// <see cref="TokenPropagationMode.Exchange"/>.
/// </summary>
public sealed class TokenExchangeOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "TokenExchange";

    /// <summary>This service's client id at the issuer.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>This service's client secret at the issuer; keep it in a secret store, never in a file of the repository.</summary>
    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>The issuer's token endpoint; when empty, the one its metadata names.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>The issuer's revocation endpoint (RFC 7009), where a delegation is withdrawn; when empty, the one its metadata names.</summary>
    public Uri? RevocationEndpoint { get; set; }

    /// <summary>Exchanged tokens kept at most (one per caller's token, audience and scopes).</summary>
    [Range(1, 1_000_000)]
    public int CacheSize { get; set; } = 10_000;

    /// <summary>How long before its expiry an exchanged token stops being reused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an exchange waits for the issuer's answer before asking whether the issuer answers
    /// anything at all (<see cref="IssuerProbePath"/>); asked again after each further wait. While
    /// it answers, the exchange waits on (a busy issuer is still worth waiting for); once it does
    /// not, the caller is told "issuer unavailable" (503 with Retry-After) at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:00:10")]
    public TimeSpan IssuerAnswerWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What is asked of the issuer, at the token endpoint's host, to learn whether it answers: any
    /// status counts, so a host without such a path (404) answers too. <c>/alive</c> is what our
    /// services answer without queueing, however busy.
    /// </summary>
    [Required]
    [RegularExpression("^/.*", ErrorMessage = "IssuerProbePath must start with '/'.")]
    public string IssuerProbePath { get; set; } = "/alive";

    /// <summary>
    /// How long the probe may take to be answered. Unanswered, it tells the issuer is gone only if
    /// the issuer also refused a connection, or answered nothing, within <see cref="IssuerSilenceLimit"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:00:10")]
    public TimeSpan IssuerProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an issuer that has been answering (this service's reads of its keys and feed, its
    /// exchanges) may fall silent, its probe unanswered, and still be taken for busy rather than gone:
    /// one starting under a burst on a busy machine can answer nothing for seconds. A refused
    /// connection within this time, or no answer at all, makes an unanswered probe final.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan IssuerSilenceLimit { get; set; } = TimeSpan.FromSeconds(10);
}
