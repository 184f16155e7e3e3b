namespace Aspire.Hosting;

internal static class KeysAtRestExtensions
{
    /// <summary>
    /// The key the issuer seals every private key in its store with, kept out of the store: a
    /// secret parameter generated on first run and kept in the AppHost's user secrets (so
    /// <c>dotnet run</c> needs nothing and each run opens the same store); a deployment generates
    /// its own, which azd keeps as a secret. The store's keys open with this key only.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeysEncryptedAtRest(this IResourceBuilder<ProjectResource> identity)
    {
        // 44 letters and digits: more than the 256 bits of the AES key derived from it.
        var key = identity.ApplicationBuilder.AddParameter(
            "key-encryption-key",
            new GenerateParameterDefault { MinLength = 44, Special = false },
            secret: true,
            persist: true);
        return identity.WithEnvironment("IdentityServer__KeyEncryptionKey", key);
    }
}
