using IdentityService.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Sessions;

/// <summary>Ends a user's sign-in sessions in the store: their cookies, wherever they are, name nothing any more.</summary>
internal sealed class SubjectSessions(IdentityServiceDbContext db)
{
    /// <returns>How many sessions were ended.</returns>
    public Task<int> EndAllAsync(string subject, CancellationToken cancellationToken) =>
        db.SignInSessions.Where(session => session.Subject == subject).ExecuteDeleteAsync(cancellationToken);
}
