using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class OpenApiExtensions
{
    /// <summary>
    /// Describes the service's API in an OpenAPI document: the bearer scheme, on each operation the
    /// scopes its token needs, and the answers every service of the solution can give besides its own
    /// (400, 401, 403 to a token, 503 when busy). Every error is documented as problem details
    /// (<c>application/problem+json</c>): the service answers them so with <c>AddProblemDetails</c>
    /// and <c>UseStatusCodePages</c>.
    /// </summary>
    public static TBuilder AddDefaultOpenApi<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<BearerSecuritySchemeTransformer>();
            options.AddOperationTransformer<ScopeRequirementTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
        });

        return builder;
    }

    /// <summary>
    /// Maps the OpenAPI document at <c>/openapi/v1.json</c> in every environment, to anyone: it tells
    /// what the API asks of a token, nothing secret. In Development, also the interactive reference
    /// (<see cref="ApiReferenceExtensions.MapApiReference"/>).
    /// </summary>
    public static WebApplication MapApiDocuments(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapApiReference();
        }

        return app;
    }
}
