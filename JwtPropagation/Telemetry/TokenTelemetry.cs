using System.Diagnostics;
using System.Net.Http;

namespace JwtPropagation.Telemetry;

/// <summary>
/// What the token-carrying parts report to OpenTelemetry: span attributes under one prefix,
/// <c>token.</c> (plus the semantic-convention <c>user.id</c>), our own spans, and the name
/// of the Meter. Nothing reported ever holds a token: only its fingerprint.
/// </summary>
public static class TokenTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter.</summary>
    public const string SourceName = "JwtPropagation";

    /// <summary>Outgoing: how the token went: forwarded, exchanged, none or refused.</summary>
    public const string Outcome = "token.outcome";

    /// <summary>Outgoing: the audience the token was exchanged for (or configured for a forwarding client).</summary>
    public const string Audience = "token.audience";

    /// <summary>A short, non-reversible hash of the token, the same wherever the same token travels.</summary>
    public const string Fingerprint = "token.fingerprint";

    /// <summary>Incoming: whether the request's token was valid.</summary>
    public const string Validated = "token.validated";

    /// <summary>Incoming: why a token was refused: expired, bad_signature, wrong_audience, wrong_type, revoked, missing...</summary>
    public const string FailureReason = "token.failure_reason";

    /// <summary>Incoming: who acts for the user, from the token's <c>act</c> claim, current actor first.</summary>
    public const string ActorChain = "token.actor_chain";

    /// <summary>Exchange: hit (a cached exchanged token), miss (the issuer was asked) or shared (another request's exchange was awaited).</summary>
    public const string ExchangeCache = "token.exchange.cache";

    /// <summary>Exchange: how long the issuer took to answer, in seconds.</summary>
    public const string IssuerDuration = "token.exchange.issuer.duration";

    /// <summary>Delegation: the job a delegation is made for, and that its access tokens name (<c>job_id</c>).</summary>
    public const string JobId = "token.delegation.job_id";

    /// <summary>Delegation: the delegation's fingerprint, the same on the request that made it and on every run of its job.</summary>
    public const string DelegationFingerprint = "token.delegation.fingerprint";

    /// <summary>Incoming: the token's subject (OpenTelemetry semantic conventions); <see cref="TokenTelemetryOptions.RecordSubject"/>.</summary>
    public const string UserId = "user.id";

    internal static readonly ActivitySource ActivitySource = new(SourceName);

    /// <summary>Carries how the token went, from the propagation handler to the client span.</summary>
    internal static readonly HttpRequestOptionsKey<OutgoingPropagation> OutgoingPropagationKey = new(SourceName + ".outgoing");

    /// <summary>Carries the token that went (for its fingerprint), from the propagation handler to the client span.</summary>
    internal static readonly HttpRequestOptionsKey<CallerToken> SentTokenKey = new(SourceName + ".sent");

    /// <summary>Copies what the propagation handler decided onto the HttpClient span it belongs to.</summary>
    internal static void EnrichClientSpan(Activity activity, HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(OutgoingPropagationKey, out var outgoing))
        {
            activity.SetTag(Outcome, outgoing.Outcome.ToTagValue());
            activity.SetTag(Audience, outgoing.Audience);
            activity.SetTag(Fingerprint, request.Options.TryGetValue(SentTokenKey, out var sent) ? sent.Fingerprint : null);
        }
    }
}

/// <summary>How a token went with an outgoing request, and for which audience.</summary>
internal sealed record OutgoingPropagation(TokenOutcome Outcome, string? Audience);

/// <summary>How a token went with an outgoing request.</summary>
internal enum TokenOutcome
{
    Forwarded,
    Exchanged,
    None,
    Refused,
}

internal static class TokenOutcomeExtensions
{
    public static string ToTagValue(this TokenOutcome outcome) => outcome switch
    {
        TokenOutcome.Forwarded => "forwarded",
        TokenOutcome.Exchanged => "exchanged",
        TokenOutcome.None => "none",
        _ => "refused",
    };
}
