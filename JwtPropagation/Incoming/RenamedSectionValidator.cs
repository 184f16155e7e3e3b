using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JwtPropagation.Incoming;

/// <summary>
/// Refuses to start a service still configured in the section these settings had before they were
/// named <see cref="JwtValidationOptions.SectionName"/>: <c>Authentication:Authority</c>,
/// <c>Authentication__RevocationFeed</c> and the like would otherwise be silently ignored, and a
/// service would run without the revocation feed or with another audience than meant. ASP.NET
/// Core's own keys in that section (<c>Authentication:Schemes</c>, <c>DefaultScheme</c>) are not ours.
/// </summary>
internal sealed class RenamedSectionValidator(IConfiguration configuration) : IValidateOptions<JwtValidationOptions>
{
    /// <summary>The section the settings were read from until they had a name of their own.</summary>
    public const string FormerSectionName = "Authentication";

    private static readonly HashSet<string> SettingNames = typeof(JwtValidationOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.CanWrite)
        .Select(property => property.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public ValidateOptionsResult Validate(string? name, JwtValidationOptions options)
    {
        var stale = configuration.GetSection(FormerSectionName).GetChildren()
            .Where(setting => SettingNames.Contains(setting.Key))
            .Select(setting => setting.Key)
            .ToList();

        return stale.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{string.Join(", ", stale.Select(key => $"{FormerSectionName}:{key}"))}: these settings are read from the " +
                $"'{JwtValidationOptions.SectionName}' section now ({JwtValidationOptions.SectionName}:{stale[0]}, or the environment " +
                $"variable {JwtValidationOptions.SectionName}__{stale[0]}); move them there. The '{FormerSectionName}' section is not read for them any more.");
    }
}
