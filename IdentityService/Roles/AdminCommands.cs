using Microsoft.AspNetCore.Identity;

namespace IdentityService.Roles;

/// <summary>
/// What an operator runs against the configured store (the same settings and environment as the
/// service), instead of serving: how an admin is made outside Development.
/// <code>
/// dotnet run --project IdentityService -- create-user &lt;user&gt;          (the password is read from stdin)
/// dotnet run --project IdentityService -- grant-role &lt;user&gt; &lt;role&gt;
/// dotnet run --project IdentityService -- revoke-role &lt;user&gt; &lt;role&gt;
/// </code>
/// The roles are <see cref="AdminRoles"/>: each is the scope it lets its holder be granted.
/// </summary>
internal static class AdminCommands
{
    private static readonly string[] Names = ["create-user", "grant-role", "revoke-role"];

    private static string Usage =>
        $"Usage: create-user <user> (password on stdin) | grant-role <user> <role> | revoke-role <user> <role>; roles: {string.Join(", ", AdminRoles.All)}";

    /// <summary>Runs the command <paramref name="args"/> names, if any, and answers whether it did (the app must then exit, with <see cref="Environment.ExitCode"/>).</summary>
    public static async Task<bool> RunAdminCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not [var name, ..] || !Names.Contains(name, StringComparer.Ordinal))
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();

        var (succeeded, message) = args switch
        {
            ["create-user", var userName] => await CreateUserAsync(users, userName, await Console.In.ReadLineAsync() ?? string.Empty),
            ["grant-role", var userName, var role] => await ChangeRoleAsync(users, userName, role, user => users.GrantRoleAsync(roles, user, role), "now holds"),
            ["revoke-role", var userName, var role] => await ChangeRoleAsync(users, userName, role, user => RevokeAsync(users, user, role), "no longer holds"),
            _ => (false, Usage),
        };

        await (succeeded ? Console.Out : Console.Error).WriteLineAsync(message);
        Environment.ExitCode = succeeded ? 0 : 1;
        return true;
    }

    private static async Task<(bool, string)> CreateUserAsync(UserManager<IdentityUser> users, string userName, string password)
    {
        if (await users.FindByNameAsync(userName) is not null)
        {
            return (false, $"The user '{userName}' exists already.");
        }

        // Identity's user name and password rules apply.
        var result = await users.CreateAsync(new IdentityUser(userName), password);
        return result.Succeeded ? (true, $"Created the user '{userName}'.") : (false, Describe(result));
    }

    private static async Task<(bool, string)> ChangeRoleAsync(
        UserManager<IdentityUser> users, string userName, string role, Func<IdentityUser, Task<IdentityResult>> change, string done)
    {
        if (!AdminRoles.All.Contains(role, StringComparer.Ordinal))
        {
            return (false, $"'{role}' is not a role. {Usage}");
        }

        if (await users.FindByNameAsync(userName) is not { } user)
        {
            return (false, $"No user '{userName}': create it first with create-user.");
        }

        var result = await change(user);
        return result.Succeeded ? (true, $"'{userName}' {done} '{role}'.") : (false, Describe(result));
    }

    // A withdrawn role ends the admin scope at the user's next refresh (CodeOrRefreshTokenGrant).
    private static async Task<IdentityResult> RevokeAsync(UserManager<IdentityUser> users, IdentityUser user, string role) =>
        await users.IsInRoleAsync(user, role) ? await users.RemoveFromRoleAsync(user, role) : IdentityResult.Success;

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(error => error.Description));
}
