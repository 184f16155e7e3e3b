using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Tests.Hostile;

/// <summary>
/// A JWS built by hand, field by field, so a test can make it wrong in ways no token library
/// would produce: any header, any payload, any signature.
/// </summary>
internal sealed class RawJwt
{
    public Dictionary<string, object?> Header { get; } = [];

    public Dictionary<string, object?> Payload { get; } = [];

    /// <summary>"header.payload": what a signature covers.</summary>
    public string SigningInput => $"{Encode(Header)}.{Encode(Payload)}";

    public string WithSignature(Func<byte[], byte[]> sign) =>
        $"{SigningInput}.{Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(SigningInput)))}";

    public string WithSignature(string encodedSignature) => $"{SigningInput}.{encodedSignature}";

    public static string Encode(object value) => value is string text
        ? Base64UrlEncoder.Encode(text)
        : Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
}
