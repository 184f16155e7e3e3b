using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtPropagation.Outgoing;

/// <summary>An exchanging client needs this service's exchange credentials: checked at start-up, with the client.</summary>
internal sealed class TokenPropagationOptionsValidator(IServiceProvider services) : IValidateOptions<TokenPropagationOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenPropagationOptions options)
    {
        if (options.Mode != TokenPropagationMode.Exchange)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = services.GetRequiredService<IOptions<TokenExchangeOptions>>().Value;
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException exception)
        {
            return ValidateOptionsResult.Fail(
                exception.Failures.Select(failure => $"HttpClient '{name}' exchanges tokens, but {failure}"));
        }
    }
}
