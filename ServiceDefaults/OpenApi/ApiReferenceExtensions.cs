using Microsoft.AspNetCore.Builder;
using Scalar.AspNetCore;

namespace Microsoft.Extensions.Hosting;

public static class ApiReferenceExtensions
{
    /// <summary>Where the interactive reference is: the page of the document <c>v1</c> is <c>/scalar/v1</c>.</summary>
    public const string Path = "/scalar";

    /// <summary>
    /// Maps Scalar's interactive reference of the OpenAPI document at <see cref="Path"/>, where a
    /// person pastes a bearer token and calls the API from the page. The page and its script come
    /// from the package, and nothing on it reaches beyond this service (no web fonts, telemetry or
    /// AI agent of Scalar's), so it works offline and a pasted token goes nowhere else. The token is
    /// kept only while the page is open, never in the browser's storage.
    /// </summary>
    public static IEndpointConventionBuilder MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(Path, options => options
                .WithTitle($"{app.Environment.ApplicationName} API")
                .AddPreferredSecuritySchemes(BearerSecuritySchemeTransformer.SchemeName)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent())
            .AllowAnonymous();
}
