using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How many requests a service works on at once, how many may wait for their turn, and how long a
/// wait may grow before the service stops reporting ready. Bound from the "RequestConcurrency"
/// section and validated at start-up.
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

    /// <summary>
    /// The longest a request may have waited for a permit while <c>/health</c> still says the
    /// service is ready. Past it the service is not serving in time (a caller's whole budget is
    /// 5 s), and a platform should send the traffic elsewhere.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxHealthyWait { get; set; } = TimeSpan.FromSeconds(5);
}
