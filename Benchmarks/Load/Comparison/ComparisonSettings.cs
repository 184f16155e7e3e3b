namespace Benchmarks.Load.Comparison;

/// <summary>How long and how hard the chains are compared.</summary>
/// <param name="Round">Whole seconds: wrk takes no less.</param>
/// <param name="ColdMintBudget">Time spent minting the cold chains' tokens, before their phases.</param>
/// <param name="ColdTokenCap">At most this many tokens for each cold chain.</param>
/// <param name="ClientWeightRounds">Rounds of the warm chains a, f, b, c through each client in turn (none: not measured).</param>
/// <param name="WarmStart">How long a fresh pair is driven right after it reports healthy.</param>
/// <param name="Command">How the run was asked for, for its report.</param>
internal sealed record ComparisonSettings(
    string Command,
    int Users,
    int Concurrency,
    TimeSpan WarmUp,
    int Rounds,
    TimeSpan Round,
    TimeSpan ColdMintBudget,
    int ColdTokenCap,
    int ClientWeightRounds,
    TimeSpan WarmStart,
    bool WritesResults)
{
    /// <summary>
    /// `load`: about ten minutes on two cores (five of them the client-weight rounds); writes results/latest.md. At most 6,000 cold tokens
    /// for d: with c's 100 they stay under the 10,000 exchanged tokens UserService keeps, so c stays warm.
    /// </summary>
    public static readonly ComparisonSettings Full = new(
        "load", Users: 100, Concurrency: 32, WarmUp: TimeSpan.FromSeconds(5), Rounds: 5, Round: TimeSpan.FromSeconds(8),
        ColdMintBudget: TimeSpan.FromSeconds(40), ColdTokenCap: 6_000, ClientWeightRounds: 3, WarmStart: TimeSpan.FromSeconds(10), WritesResults: true);

    /// <summary>`load --smoke`: every chain once, briefly, for CI; prints only.</summary>
    public static readonly ComparisonSettings Smoke = new(
        "load --smoke", Users: 20, Concurrency: 32, WarmUp: TimeSpan.FromSeconds(1), Rounds: 1, Round: TimeSpan.FromSeconds(3),
        ColdMintBudget: TimeSpan.FromSeconds(3), ColdTokenCap: 1_000, ClientWeightRounds: 0, WarmStart: TimeSpan.FromSeconds(3), WritesResults: false);
}
