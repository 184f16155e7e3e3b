namespace IdentityService.KeysAtRest;

/// <summary>
/// A key in the store that the configured key-encryption key does not open. Says why and what to
/// do, and carries no cryptographic detail, which would tell the operator nothing more.
/// </summary>
internal sealed class StoredKeyNotOpenedException : Exception
{
    private StoredKeyNotOpenedException(string message)
        : base(message)
    {
    }

    /// <summary>A sealed key that does not open: the issuer was given another key than the store's, or the row was altered.</summary>
    public static StoredKeyNotOpenedException WrongKey(string context) => new(
        $"The stored key {context} does not open with {KeyEncryptionKey.SettingName}: it is not the key this store was sealed with " +
        "(or the row was altered). Start the issuer with the store's own key (under the AppHost, its secret parameter " +
        "'key-encryption-key': in the AppHost's user secrets under dotnet run, in the azd environment when deployed), " +
        "or, to start afresh, empty the store: every key, token and session it holds is then lost.");

    /// <summary>A key in the clear where only sealed ones are read: an issuer of an earlier version wrote it while this one ran.</summary>
    public static StoredKeyNotOpenedException InTheClear(string context) => new(
        $"The stored key {context} is in the clear, not sealed with {KeyEncryptionKey.SettingName}: an issuer of an earlier " +
        "version wrote it after this one started. Stop the earlier version and restart this one, which seals the keys it finds in the clear.");
}
