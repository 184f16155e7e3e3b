namespace JwtPropagation.Outgoing;

/// <summary>What a caller's token is exchanged for: one audience, and the scopes asked for ("" for all the caller's).</summary>
internal sealed record ExchangeTarget(string Audience, string Scope)
{
    public static ExchangeTarget Create(string audience, IEnumerable<string> scopes) => new(audience, string.Join(' ', scopes));
}
