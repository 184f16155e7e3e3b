namespace IdentityService.KeysAtRest;

/// <summary>
/// A key in the store that the configured key-encryption key does not open: the issuer was given
/// another key than the one the store was sealed with (or the row was altered). Says what to do,
/// and carries no cryptographic detail, which would tell the operator nothing more.
/// </summary>
internal sealed class KeyEncryptionKeyMismatchException(string context, string problem) : Exception(
    $"The stored key {context} {problem}: {KeyEncryptionKey.SettingName} is not the key this store was sealed with. " +
    "Start the issuer with the store's own key (under the AppHost, its secret parameter 'key-encryption-key': " +
    "in the AppHost's user secrets under dotnet run, in the azd environment when deployed), " +
    "or, to start afresh, empty the store: every key, token and session it holds is then lost.");
