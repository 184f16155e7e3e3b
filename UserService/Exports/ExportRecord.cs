namespace UserService.Exports;

/// <summary>An export as the job store keeps it: its state and result, never a token or a delegation.</summary>
internal sealed class ExportRecord
{
    public Guid Id { get; set; }

    public required string Owner { get; set; }

    public ExportStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The result, as JSON.</summary>
    public string? Result { get; set; }

    public string? FailureReason { get; set; }
}
