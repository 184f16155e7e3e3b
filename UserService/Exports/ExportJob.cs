using System.Text.Json.Serialization;
using UserService.Users;

namespace UserService.Exports;

[JsonConverter(typeof(JsonStringEnumConverter<ExportStatus>))]
public enum ExportStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// An export of a user's data, as its owner sees it. The token it runs with travels in the queue
/// with the work item, never here.
/// </summary>
public sealed record ExportJob(
    Guid Id,
    string Owner,
    ExportStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt = null,
    UserSummary? Result = null,
    string? FailureReason = null);
