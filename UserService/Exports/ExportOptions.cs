using System.ComponentModel.DataAnnotations;

namespace UserService.Exports;

/// <summary>Settings of the export queue, bound from the "Exports" section and validated at start-up.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Jobs waiting at most; beyond that a new export is answered 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Jobs running at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a finished job stays readable by its owner.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>What a caller turned away by a full queue is told to wait before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
