using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Tests.ApiDocuments;

/// <summary>A service's OpenAPI document as it serves it, read with the OpenAPI.NET reader.</summary>
internal static class ApiDocument
{
    public const string Path = "/openapi/v1.json";
    public const string BearerSchemeName = "Bearer";
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The document, and what the reader found wrong with it (its validation rules included).</summary>
    public static async Task<ReadResult> ReadAsync(HttpClient service, CancellationToken cancellationToken)
    {
        using var response = await service.GetAsync(new Uri(Path, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await ReadAsync(body, cancellationToken);
    }

    public static async Task<ReadResult> ReadAsync(Stream json, CancellationToken cancellationToken) =>
        await OpenApiDocument.LoadAsync(json, "json", cancellationToken: cancellationToken);

    public static async Task<IReadOnlyList<DocumentedOperation>> OperationsAsync(HttpClient service, CancellationToken cancellationToken) =>
        Operations((await ReadAsync(service, cancellationToken)).Document
            ?? throw new InvalidOperationException("The OpenAPI document could not be read."));

    public static IReadOnlyList<DocumentedOperation> Operations(OpenApiDocument document) =>
    [
        .. from path in document.Paths
           from operation in path.Value.Operations ?? []
           select new DocumentedOperation(operation.Key, path.Key, operation.Value),
    ];
}
