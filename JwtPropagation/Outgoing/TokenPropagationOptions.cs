using System.ComponentModel.DataAnnotations;

namespace JwtPropagation.Outgoing;

/// <summary>How a client carries the caller's token.</summary>
public enum TokenPropagationMode
{
    /// <summary>The caller's token as it is. The destination must be in that token's audience.</summary>
    Forward,

    /// <summary>
    /// A token exchanged for the destination's own audience (RFC 8693): same user, this service
    /// named as the actor, scopes no wider. The caller's token never leaves this service.
    /// </summary>
    Exchange,
}

/// <summary>
/// Where one HttpClient sends the caller's token, and how. Set in code or bound from
/// configuration; validated at start-up.
/// </summary>
public sealed class TokenPropagationOptions : IValidatableObject
{
    /// <summary>
    /// The one destination this client's token may go to, e.g. <c>https+http://profileservice</c>;
    /// it is also the client's base address. Service discovery resolves it to exact endpoints.
    /// </summary>
    [Required]
    public Uri? Destination { get; set; }

    /// <summary>Whether the caller's token is sent on as it is (the default) or exchanged for one meant for <see cref="Audience"/>.</summary>
    public TokenPropagationMode Mode { get; set; } = TokenPropagationMode.Forward;

    /// <summary>The audience to exchange for (<see cref="TokenPropagationMode.Exchange"/> only).</summary>
    public string? Audience { get; set; }

    /// <summary>Scopes to ask for in an exchange; none asks for all the caller's scopes for that audience.</summary>
    public string[] Scopes { get; set; } = [];

    /// <summary>
    /// When true (the default) a call made without a current access token fails with
    /// <see cref="MissingCallerTokenException"/> instead of going out unauthenticated.
    /// </summary>
    public bool RequireToken { get; set; } = true;

    /// <summary>
    /// When true, a request to any other destination fails (<see cref="TokenDestinationRefusedException"/>);
    /// when false (the default) it goes out without the token, and the refusal is logged and counted.
    /// </summary>
    public bool StrictDestination { get; set; }

    /// <summary>
    /// Lets the token travel over plain http to a host that is not loopback: only for a network
    /// whose platform ends TLS at its ingress and keeps traffic inside (e.g. Azure Container Apps).
    /// </summary>
    public bool TrustedInternalNetwork { get; set; }

    /// <summary>Checks the settings that depend on each other; called at start-up.</summary>
    /// <param name="validationContext">The context of the validation.</param>
    /// <returns>What is wrong, if anything.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Destination is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("The destination must be an absolute URI.", [nameof(Destination)]);
        }

        if (Mode == TokenPropagationMode.Exchange && string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult("Exchange needs the audience to exchange for.", [nameof(Audience)]);
        }
    }
}
