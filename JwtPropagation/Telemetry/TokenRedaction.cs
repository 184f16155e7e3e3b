using System.Buffers;
using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace JwtPropagation.Telemetry;

/// <summary>
/// The last line of defence before telemetry leaves the process: anything shaped like a JWT, and
/// the value of any token-named query parameter, is replaced. Our own code never records a token;
/// this catches what others record, e.g. a full URL with <c>?access_token=...</c>.
/// </summary>
internal static partial class TokenRedaction
{
    private const string Redacted = "[redacted]";

    // One vectorised pass over each value; the expressions below run only on the rare value that matches.
    private static readonly SearchValues<string> TokenMarkers = SearchValues.Create(["eyJ", "token"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The text with every token in it replaced; the same instance when there was none.</summary>
    public static string? Redact(string? text) =>
        text is null || !text.AsSpan().ContainsAny(TokenMarkers)
            ? text
            : TokenQueryParameter().Replace(Jwt().Replace(text, Redacted), "$1" + Redacted);

    // A JWS or JWE compact serialization (three parts or five): its header is base64url JSON, so it
    // starts with "eyJ". A JWE's encrypted key is empty under direct encryption, so any part may be.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?i)((?:^|[?&#;\s])(?:access_token|id_token|refresh_token|token|subject_token|actor_token|assertion)=)[^&#\s]*")]
    private static partial Regex TokenQueryParameter();
}

/// <summary>Redacts token-shaped values from span attributes when a span ends.</summary>
internal sealed class TokenRedactingSpanProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string?>>? redacted = null;
        foreach (var (key, value) in data.EnumerateTagObjects())
        {
            if (value is string text && TokenRedaction.Redact(text) is var safe && !ReferenceEquals(safe, text))
            {
                (redacted ??= []).Add(new(key, safe));
            }
        }

        foreach (var (key, value) in redacted ?? [])
        {
            data.SetTag(key, value);
        }
    }
}

/// <summary>Redacts token-shaped values from log records before they are exported.</summary>
internal sealed class TokenRedactingLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        data.FormattedMessage = TokenRedaction.Redact(data.FormattedMessage);
        data.Body = TokenRedaction.Redact(data.Body);
        if (data.Attributes is { } attributes && attributes.Any(HoldsToken))
        {
            data.Attributes = [.. attributes.Select(attribute =>
                attribute.Value is string text ? new KeyValuePair<string, object?>(attribute.Key, TokenRedaction.Redact(text)) : attribute)];
        }
    }

    private static bool HoldsToken(KeyValuePair<string, object?> attribute) =>
        attribute.Value is string text && !ReferenceEquals(TokenRedaction.Redact(text), text);
}
