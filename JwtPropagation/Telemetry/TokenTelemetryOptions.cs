namespace JwtPropagation.Telemetry;

/// <summary>What token telemetry may record, bound from the "TokenTelemetry" section.</summary>
public sealed class TokenTelemetryOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "TokenTelemetry";

    /// <summary>
    /// Whether server spans carry the token's subject as <c>user.id</c>. Turn it off where a
    /// user id counts as personal data that telemetry must not hold.
    /// </summary>
    public bool RecordSubject { get; set; } = true;
}
