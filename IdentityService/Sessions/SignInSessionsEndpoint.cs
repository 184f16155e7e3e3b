using IdentityService.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Sessions;

internal static partial class SignInSessionsEndpoint
{
    /// <summary>
    /// GET /admin/subjects/{subject}/sessions: the user's sessions (id, created, expires; never the
    /// ticket). DELETE /admin/subjects/{subject}/sessions ends them all, .../sessions/{id} one: 204.
    /// </summary>
    public static RouteGroupBuilder MapSignInSessions(this RouteGroupBuilder admin)
    {
        admin.MapGet("subjects/{subject}/sessions", ListAsync);
        admin.MapDelete("subjects/{subject}/sessions", EndAllAsync);
        admin.MapDelete("subjects/{subject}/sessions/{id}", EndOneAsync);
        return admin;
    }

    private static async Task<IResult> ListAsync(string subject, IdentityServiceDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var sessions = await db.SignInSessions.AsNoTracking()
            .Where(session => session.Subject == subject && session.ExpiresAt > now)
            .OrderBy(session => session.CreatedAt)
            .Select(session => new SignInSessionSummary(
                session.Id,
                DateTime.SpecifyKind(session.CreatedAt, DateTimeKind.Utc),
                DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc)))
            .ToListAsync(cancellationToken);
        return Results.Ok(sessions);
    }

    private static async Task<IResult> EndAllAsync(
        string subject, HttpContext context, SubjectSessions sessions, ILogger<SignInSession> logger)
    {
        var ended = await sessions.EndAllAsync(subject, context.RequestAborted);
        LogSessionsEnded(logger, ended, subject, context.User.GetClaim(Claims.Subject));
        return Results.NoContent();
    }

    private static async Task<IResult> EndOneAsync(
        string subject, string id, HttpContext context, IdentityServiceDbContext db, ILogger<SignInSession> logger)
    {
        var ended = await db.SignInSessions.Where(session => session.Subject == subject && session.Id == id).ExecuteDeleteAsync(context.RequestAborted);
        if (ended == 0)
        {
            return Results.NotFound();
        }

        LogSessionsEnded(logger, ended, subject, context.User.GetClaim(Claims.Subject));
        return Results.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {SessionCount} sign-in sessions of {Subject}; requested by {Administrator}")]
    private static partial void LogSessionsEnded(ILogger logger, int sessionCount, string subject, string? administrator);
}

/// <summary>A session as the admin API shows it (JSON: id, createdAt, expiresAt, UTC).</summary>
internal sealed record SignInSessionSummary(string Id, DateTime CreatedAt, DateTime ExpiresAt);
