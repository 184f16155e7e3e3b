namespace Benchmarks.Load.Comparison;

/// <summary>The cold chain's tokens: how many were minted before the rounds, in how long.</summary>
internal sealed record ColdMint(int Tokens, TimeSpan Took)
{
    public double PerSecond => Tokens / Took.TotalSeconds;
}
