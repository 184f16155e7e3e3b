using System.ComponentModel.DataAnnotations;

namespace JwtPropagation;

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

    /// <summary>Exchanged tokens kept at most (one per caller's token, audience and scopes).</summary>
    [Range(1, 1_000_000)]
    public int CacheSize { get; set; } = 10_000;

    /// <summary>How long before its expiry an exchanged token stops being reused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);
}
