using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Documents the answers every operation can give besides its own (the credentials guard's 400, the
/// bearer handler's 401 and the scope check's 403 to a token; 502 from a call on the caller's
/// behalf; the concurrency limit's 503), and every error answer, these and the endpoint's own
/// (a 404, say), as problem details.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemContentType = "application/problem+json";
    private const string ProblemSchemaId = nameof(ProblemDetails);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var authorization = await OperationAuthorization.ReadAsync(context);
        operation.Responses ??= [];
        if (authorization.NeedsToken)
        {
            Add(operation, StatusCodes.Status400BadRequest,
                "The credentials are ambiguous: more than one Authorization header, or a token in the header and also in the query string or form body.",
                ("WWW-Authenticate", "Bearer error=\"invalid_request\"."));
            Add(operation, StatusCodes.Status401Unauthorized,
                "No valid token: none was sent, or it was refused (expired, revoked, not for this service, badly signed).",
                ("WWW-Authenticate", "Bearer, with error=\"invalid_token\" when a token was refused."));
            Add(operation, StatusCodes.Status403Forbidden,
                "The token is valid but grants too little.",
                ("WWW-Authenticate", "Bearer error=\"insufficient_scope\" and the scope the token lacks, when a scope is what is missing."));
        }

        if (authorization.CallsOnward)
        {
            Add(operation, StatusCodes.Status502BadGateway,
                "A call made on the caller's behalf failed: the issuer did not exchange the token, or the other service answered with an error.");
        }

        Add(operation, StatusCodes.Status503ServiceUnavailable,
            "Busy: too many requests at once, or a service this one needs cannot be reached now. Nothing was done.",
            ("Retry-After", "Seconds to wait before trying again."));

        // The service answers every error with problem details (UseStatusCodePages writes them for
        // an empty one), including those the endpoint declares without a body.
        var problem = await ProblemSchemaAsync(context, cancellationToken);
        foreach (var (status, response) in operation.Responses)
        {
            if (int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code >= 400
                && response is OpenApiResponse answer && (answer.Content is null || answer.Content.Count == 0))
            {
                answer.Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = new() { Schema = problem } };
            }
        }

        // In the order of their status codes, as a reader looks for them; endpoints declare them in any order.
        var byStatus = operation.Responses.OrderBy(response => response.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in byStatus)
        {
            operation.Responses[status] = response;
        }
    }

    private static void Add(OpenApiOperation operation, int status, string description, (string Name, string Description)? header = null)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var response = new OpenApiResponse { Description = description };
        if (header is var (name, headerDescription))
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                [name] = new OpenApiHeader { Description = headerDescription, Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        operation.Responses[key] = response;
    }

    /// <summary>The problem details schema, once in the document's components, referenced from each answer.</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation is described outside of a document.");
        if (document.Components?.Schemas?.ContainsKey(ProblemSchemaId) != true)
        {
            document.AddComponent(ProblemSchemaId, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken));
        }

        return new OpenApiSchemaReference(ProblemSchemaId, document);
    }
}
