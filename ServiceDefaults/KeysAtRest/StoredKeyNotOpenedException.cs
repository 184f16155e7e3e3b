namespace ServiceDefaults.KeysAtRest;

/// <summary>
/// A key in the store that the <see cref="KeyEncryptionKey"/> does not open. Says why, and carries
/// no cryptographic detail, which would tell the operator nothing more; a service that can say
/// more (its setting, where the AppHost keeps the secret) says it from <see cref="Context"/> and
/// <see cref="InTheClear"/>.
/// </summary>
public sealed class StoredKeyNotOpenedException : Exception
{
    private StoredKeyNotOpenedException(string context, bool inTheClear, string message)
        : base(message)
    {
        Context = context;
        InTheClear = inTheClear;
    }

    /// <summary>Where the key is kept: the context it was sealed for.</summary>
    public string Context { get; }

    /// <summary>The key is in the clear where only sealed ones are read, rather than sealed with another key.</summary>
    public bool InTheClear { get; }

    /// <summary>A sealed key that does not open: the service was given another key than the store's, or the row was altered.</summary>
    public static StoredKeyNotOpenedException WrongKey(string context) => new(
        context,
        inTheClear: false,
        $"The stored key {context} does not open with the key-encryption key this service was given: it is not the key " +
        "this store was sealed with (or the row was altered). Start the service with the store's own key (under the " +
        "AppHost, its secret parameter: in the AppHost's user secrets under dotnet run, in the azd environment when deployed).");

    /// <summary>A key in the clear where only sealed ones are read: a process of an earlier version wrote it, or the row was altered.</summary>
    public static StoredKeyNotOpenedException InTheClearWhereSealed(string context) => new(
        context,
        inTheClear: true,
        $"The stored key {context} is in the clear where only sealed keys are read: a process of an earlier version " +
        "wrote it after this one started (or the row was altered).");
}
