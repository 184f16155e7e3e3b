namespace Benchmarks.Load.Comparison;

/// <summary>The cold chains' tokens: how many were minted before the rounds, in how long.</summary>
internal sealed record ColdMint(int Tokens, TimeSpan Took)
{
    public double PerSecond => Tokens / Took.TotalSeconds;
}
