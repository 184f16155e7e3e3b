using System.ComponentModel.DataAnnotations;

namespace UserService.Exports;

/// <summary>Settings of the exports, bound from the "Exports" section and validated at start-up.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>
    /// Where the job store's SQLite file is kept (relative to the content root) when no PostgreSQL
    /// database is given (<c>ConnectionStrings:jobsdb</c>).
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>
    /// The secret the job store's Data Protection keys are sealed with (the keys that protect each
    /// job's delegation); kept out of the store, so a copy of the database alone opens no
    /// delegation. At least 32 characters; the store's keys open with this key only. The AppHost
    /// generates it: its secret parameter <c>jobs-key-encryption-key</c>.
    /// </summary>
    [Required]
    [MinLength(ServiceDefaults.KeysAtRest.KeyEncryptionKey.MinimumSecretLength)]
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>Jobs queued or running at most, all users together; beyond that a new export is answered 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Jobs of one user queued or running at once; beyond that the user's next export is answered 429 with Retry-After.</summary>
    [Range(1, 1_000)]
    public int MaxPendingPerUser { get; set; } = 3;

    /// <summary>Finished jobs kept per user: a user's newer export makes room by dropping their own oldest.</summary>
    [Range(1, 1_000)]
    public int MaxKeptPerUser { get; set; } = 10;

    /// <summary>
    /// Whether this instance runs jobs, or only queues them and answers for them: replicas that
    /// serve the API alone, beside others that run the jobs.
    /// </summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>Jobs running at once, on each replica.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a finished job stays readable by its owner, at most.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a queued job may act for its user: it fails as "delegation expired" if it has not run
    /// by then. The issuer holds its own limit for this service's delegations, which also ends them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxDelegation { get; set; } = TimeSpan.FromHours(24);

    /// <summary>What a caller turned away (queue full, or too many of their own) is told to wait before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
