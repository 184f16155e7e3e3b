using System.Security.Claims;
using IdentityService.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Sessions;

/// <summary>
/// The sign-in cookie's session store: the cookie handler keeps each ticket here and puts only the
/// session's id in the cookie. A session that is not here (ended, revoked, expired) is no session.
/// </summary>
internal sealed class SignInSessionStore(
    IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider timeProvider) : ITicketStore
{
    private readonly TicketDataFormat _tickets = new(dataProtection.CreateProtector("IdentityService.Sessions.SignInSessionStore"));

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var session = new SignInSession
        {
            Id = Guid.NewGuid().ToString("N"),
            Subject = SubjectOf(ticket),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = ExpiryOf(ticket),
            ProtectedTicket = _tickets.Protect(ticket),
        };

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    /// <summary>
    /// The cookie handler renews a session when a person signs in again over it (sliding expiration
    /// is off): it takes the new ticket, subject and times. Only an existing session is renewed; one
    /// ended meanwhile stays ended.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();
        var subject = SubjectOf(ticket);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var expiresAt = ExpiryOf(ticket);
        var protectedTicket = _tickets.Protect(ticket);
        await db.SignInSessions.Where(session => session.Id == key).ExecuteUpdateAsync(
            row => row
                .SetProperty(session => session.Subject, subject)
                .SetProperty(session => session.CreatedAt, now)
                .SetProperty(session => session.ExpiresAt, expiresAt)
                .SetProperty(session => session.ProtectedTicket, protectedTicket),
            cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var protectedTicket = await db.SignInSessions.AsNoTracking()
            .Where(session => session.Id == key && session.ExpiresAt > now)
            .Select(session => session.ProtectedTicket)
            .SingleOrDefaultAsync(cancellationToken);
        return protectedTicket is null ? null : _tickets.Unprotect(protectedTicket);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();
        await db.SignInSessions.Where(session => session.Id == key).ExecuteDeleteAsync(cancellationToken);
    }

    private static string SubjectOf(AuthenticationTicket ticket) =>
        ticket.Principal.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("A sign-in session needs a subject.");

    private static DateTime ExpiryOf(AuthenticationTicket ticket) =>
        (ticket.Properties.ExpiresUtc ?? throw new InvalidOperationException("The cookie handler sets every ticket's expiry.")).UtcDateTime;
}
