using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How many requests a service works on at once, and how many may wait for their turn. Bound from
/// the "RequestConcurrency" section and validated at start-up.
/// </summary>
public sealed class RequestConcurrencyOptions
{
    public const string SectionName = "RequestConcurrency";

    /// <summary>
    /// Requests worked on at once. More would not finish sooner on a few cores: they would share
    /// the same CPU and each take longer, until callers' time-outs cut them off half done.
    /// </summary>
    [Range(1, 10_000)]
    public int PermitLimit { get; set; } = 64;

    /// <summary>Requests that wait, first come first served; one more is refused at once.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 2_000;

    /// <summary>What a refused caller is told to wait (<c>Retry-After</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
