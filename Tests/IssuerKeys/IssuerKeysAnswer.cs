namespace Tests.IssuerKeys;

/// <summary>What <see cref="IssuerKeysFront"/> answers when a service reads the issuer's metadata and keys.</summary>
public enum IssuerKeysAnswer
{
    /// <summary>The issuer's own metadata and key set.</summary>
    Good,

    /// <summary>Neither document: the connection is dropped before any answer, as by an issuer that is down or cut off.</summary>
    Unreachable,

    /// <summary>The metadata, then a key set with no keys: <c>{"keys":[]}</c>.</summary>
    EmptyKeySet,

    /// <summary>The metadata, then a key set cut off halfway: not JSON.</summary>
    MalformedKeySet,

    /// <summary>The metadata, then 500 for the key set.</summary>
    KeySetServerError,
}
