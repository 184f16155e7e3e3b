using System.Globalization;
using Microsoft.OpenApi;

namespace Tests.ApiDocuments;

/// <summary>One operation of a service's OpenAPI document, and how to call it.</summary>
internal sealed record DocumentedOperation(HttpMethod Method, string PathTemplate, OpenApiOperation Operation)
{
    public override string ToString() => $"{Method} {PathTemplate}";

    /// <summary>The scopes its requirement of the bearer scheme lists; null when it asks for no token.</summary>
    public IReadOnlyList<string>? BearerScopes =>
        Operation.Security?.SelectMany(requirement => requirement)
            .Where(scheme => scheme.Key.Reference.Id == ApiDocument.BearerSchemeName)
            .Select(scheme => (IReadOnlyList<string>)[.. scheme.Value])
            .SingleOrDefault();

    /// <summary>The content types documented for an answer of <paramref name="status"/>, or null if that status is not documented.</summary>
    public IReadOnlyCollection<string>? ContentTypesOf(int status) =>
        Operation.Responses?.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var response) == true
            ? [.. response.Content?.Keys ?? []]
            : null;

    /// <summary>A request to it, with <paramref name="userId"/> for a user in the path and a new id for any other parameter.</summary>
    public HttpRequestMessage CreateRequest(string userId)
    {
        var path = PathTemplate;
        foreach (var parameter in Operation.Parameters?.Where(parameter => parameter.In == ParameterLocation.Path) ?? [])
        {
            var value = parameter.Schema?.Format == "uuid" ? Guid.NewGuid().ToString() : userId;
            path = path.Replace($"{{{parameter.Name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        return new HttpRequestMessage(Method, new Uri(path, UriKind.Relative));
    }
}
