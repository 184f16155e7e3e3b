using IdentityService.Revocation;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Admin;

internal static partial class SubjectRevocationEndpoint
{
    /// <summary>
    /// POST /admin/subjects/{subject}/revoke: revokes every token of the subject (a user id, or a
    /// client id for client credentials tokens) issued until now, stored or not, and ends the user's
    /// sign-in sessions. 204.
    /// </summary>
    public static RouteGroupBuilder MapSubjectRevocation(this RouteGroupBuilder admin)
    {
        admin.MapPost("subjects/{subject}/revoke", RevokeAsync);
        return admin;
    }

    private static async Task<IResult> RevokeAsync(
        string subject, HttpContext context, TokenRevoker revoker, ILogger<TokenRevoker> logger)
    {
        var revoked = await revoker.RevokeSubjectAsync(subject, context.RequestAborted);

        LogSubjectRevoked(logger, subject, revoked.Tokens, revoked.Authorizations, revoked.Sessions, context.User.GetClaim(Claims.Subject));
        return Results.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Revoked subject {Subject}: {TokenCount} stored tokens, {AuthorizationCount} authorizations, {SessionCount} sign-in sessions; requested by {Administrator}")]
    private static partial void LogSubjectRevoked(
        ILogger logger, string subject, long tokenCount, long authorizationCount, int sessionCount, string? administrator);
}
