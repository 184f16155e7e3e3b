namespace IdentityService.Seeding;

/// <summary>The fixed data every Development instance starts with (see DESIGN.md, "Contract").</summary>
internal static class DevelopmentSeedData
{
    /// <summary>Seeded dev users share this documented password; it exists in Development only.</summary>
    public const string Password = "Pass123$";

    public const string CliClientId = "dev-cli";

    /// <summary>The one seeded user holding the admin roles (every one of <see cref="Roles.AdminRoles"/>); no other seeded user holds any.</summary>
    public const string AdminUserName = "admin";

    /// <summary>alice and bob, then user001 ... user200 for load and isolation tests, and the admin.</summary>
    public static readonly IReadOnlyList<string> UserNames =
        ["alice", "bob", .. Enumerable.Range(1, 200).Select(number => $"user{number:D3}"), AdminUserName];
}
