using System.ComponentModel.DataAnnotations;

namespace UserService.Exports;

/// <summary>Settings of the export queue, bound from the "Exports" section and validated at start-up.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Jobs waiting at most, all users together; beyond that a new export is answered 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Jobs of one user queued or running at once; beyond that the user's next export is answered 429 with Retry-After.</summary>
    [Range(1, 1_000)]
    public int MaxPendingPerUser { get; set; } = 3;

    /// <summary>Finished jobs kept per user: a user's newer export makes room by dropping their own oldest.</summary>
    [Range(1, 1_000)]
    public int MaxKeptPerUser { get; set; } = 10;

    /// <summary>Finished jobs kept, all users together; the oldest goes first.</summary>
    [Range(1, 1_000_000)]
    public int MaxKept { get; set; } = 10_000;

    /// <summary>What the finished jobs kept may take in memory, in bytes (their results as JSON); the oldest goes first.</summary>
    [Range(1_024, 1L << 32)]
    public long MaxKeptBytes { get; set; } = 32L << 20;

    /// <summary>Jobs running at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a finished job stays readable by its owner, at most.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>What a caller turned away (queue full, or too many of their own) is told to wait before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
