using Microsoft.AspNetCore.Identity;

namespace IdentityService.Passwords;

/// <summary>
/// The one place a user name and password are checked (the password grant and the sign-in page).
/// One refusal for an unknown name, a wrong password, a throttled name and a locked account, in the
/// same time for a known and an unknown name.
/// </summary>
public sealed class PasswordCheck(UserManager<IdentityUser> users, GuessThrottle throttle, UnknownAccountHash unknownAccount)
{
    /// <summary>The user, if <paramref name="password"/> is theirs and they may sign in now; null otherwise.</summary>
    public async Task<IdentityUser?> CheckAsync(string userName, string password)
    {
        var normalizedName = users.NormalizeName(userName) ?? string.Empty;
        if (throttle.IsThrottled(normalizedName))
        {
            return null;
        }

        var user = await users.FindByNameAsync(userName);
        var matches = false;
        if (user is null)
        {
            unknownAccount.Verify(password);
        }
        else
        {
            matches = await users.CheckPasswordAsync(user, password);
        }

        if (!matches)
        {
            throttle.CountFailure(normalizedName);
            return null;
        }

        // A lockout an administrator set (LockoutEnd) still holds; failures never set one any more.
        return await users.IsLockedOutAsync(user!) ? null : user;
    }
}
