namespace Benchmarks.Load.Tokens;

/// <summary>What the token endpoint answered. Printed, it shows no token.</summary>
internal sealed record IssuedTokens(string AccessToken, string RefreshToken)
{
    public override string ToString() => nameof(IssuedTokens);
}
