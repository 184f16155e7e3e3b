namespace Aspire.Hosting;

internal static class KeysAtRestExtensions
{
    /// <summary>
    /// The key the issuer seals every private key in its store with, kept out of the store: a
    /// secret parameter generated on first run and kept in the AppHost's user secrets (so
    /// <c>dotnet run</c> needs nothing and each run opens the same store); a deployment generates
    /// its own, which azd keeps as a secret. The store's keys open with this key only.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeysEncryptedAtRest(this IResourceBuilder<ProjectResource> identity) =>
        identity.WithEnvironment("IdentityServer__KeyEncryptionKey", identity.ApplicationBuilder.AddKeyEncryptionKey("key-encryption-key"));

    /// <summary>
    /// The key UserService seals the Data Protection keys of its job store with (they protect each
    /// job's delegation), kept out of the store: a secret parameter of its own, generated and kept as
    /// the issuer's is, so a copy of the job store alone opens no delegation.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithJobKeysEncryptedAtRest(this IResourceBuilder<ProjectResource> userService) =>
        userService.WithEnvironment("Exports__KeyEncryptionKey", userService.ApplicationBuilder.AddKeyEncryptionKey("jobs-key-encryption-key"));

    // 44 letters and digits: more than the 256 bits of the AES key derived from it.
    private static IResourceBuilder<ParameterResource> AddKeyEncryptionKey(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true, persist: true);
}
