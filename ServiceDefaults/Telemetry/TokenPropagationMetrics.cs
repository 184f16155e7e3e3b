using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>The counters of what happened to tokens on their way out; nothing here ever holds a token.</summary>
internal sealed class TokenPropagationMetrics
{
    public const string MeterName = "TokenPropagation";

    private readonly Counter<long> _outgoing;

    public TokenPropagationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _outgoing = meter.CreateCounter<long>(
            "token_propagation.outgoing_requests",
            unit: "{request}",
            description: "Outgoing requests of token-carrying clients, by how the token went.");
    }

    public void Outgoing(string client, TokenOutcome outcome) =>
        _outgoing.Add(1, new("http.client.name", client), new("token_propagation.outcome", outcome.ToTagValue()));
}

/// <summary>How a token went with an outgoing request.</summary>
internal enum TokenOutcome
{
    Forwarded,
    Exchanged,
    None,
    Refused,
}

internal static class TokenOutcomeExtensions
{
    public static string ToTagValue(this TokenOutcome outcome) => outcome switch
    {
        TokenOutcome.Forwarded => "forwarded",
        TokenOutcome.Exchanged => "exchanged",
        TokenOutcome.None => "none",
        _ => "refused",
    };
}
