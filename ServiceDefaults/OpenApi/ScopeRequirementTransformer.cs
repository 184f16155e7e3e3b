using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>Marks each operation that needs a token with the bearer scheme and the scopes it needs; anonymous ones get none.</summary>
internal sealed class ScopeRequirementTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var authorization = await OperationAuthorization.ReadAsync(context);
        if (!authorization.NeedsToken)
        {
            return;
        }

        // OpenAPI 3.1 lets a requirement of a non-OAuth scheme name the roles it needs: here, scopes.
        operation.Security =
        [
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerSecuritySchemeTransformer.SchemeName, context.Document)] = [.. authorization.Scopes],
            },
        ];
    }
}
