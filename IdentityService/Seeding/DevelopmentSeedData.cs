using IdentityService.Admin;

namespace IdentityService.Seeding;

/// <summary>The fixed data every Development instance starts with (see DESIGN.md, "Contract").</summary>
internal static class DevelopmentSeedData
{
    /// <summary>Seeded dev users share this documented password; it exists in Development only.</summary>
    public const string Password = "Pass123$";

    public const string CliClientId = "dev-cli";

    /// <summary>
    /// Through dev-cli any seeded user (alice) can get an admin token for this service. Acceptable
    /// for a Development seed only: nothing outside Development registers this scope.
    /// </summary>
    public static readonly KeyValuePair<string, string> AdminScope = new(AdminApi.Scope, AdminApi.Audience);

    /// <summary>alice and bob, then user001 ... user200 for load and isolation tests.</summary>
    public static readonly IReadOnlyList<string> UserNames =
        ["alice", "bob", .. Enumerable.Range(1, 200).Select(number => $"user{number:D3}")];
}
