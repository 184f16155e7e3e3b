using System.Net;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Tests.Integration;

namespace Tests.ApiDocuments;

/// <summary>
/// Each service serves a valid OpenAPI document that says which operations need a token and which
/// scopes, and documents the answers the service really gives, as problem details; in Development
/// an interactive reference, linked from the dashboard.
/// </summary>
public sealed partial class ApiDocumentTests(DistributedAppFixture app)
{
    /// <summary>Every scope there is: a token that lacks none, whatever the document says.</summary>
    private static readonly string[] AllScopes = ["users.read", "profiles.read", "profiles.admin"];
    private const string UnknownUser = "nobody";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static TheoryData<string> Services => ["userservice", "profileservice"];

    /// <summary>What each service's document must list: each operation and the scopes of its bearer requirement.</summary>
    private static readonly Dictionary<string, string[]> ScopesOf = new()
    {
        ["userservice"] =
        [
            "GET /users/me: users.read profiles.read",
            "GET /users/me/summary: users.read profiles.read",
            "GET /users/{userId}: users.read profiles.read",
            "POST /users/me/exports: users.read",
            "GET /users/me/exports/{id}: users.read",
        ],
        ["profileservice"] =
        [
            "GET /profiles/me: profiles.read",
            "GET /profiles/me/preferences: profiles.read",
            "GET /profiles/me/activity: profiles.read",
            "GET /profiles/{userId}: profiles.read",
        ],
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_document_is_valid_OpenAPI(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);

        var (document, diagnostic) = await ApiDocument.ReadAsync(client, timeout.Token);

        Assert.Empty(diagnostic?.Errors ?? []);
        Assert.NotEmpty(document?.Paths ?? []);
    }

    [Fact]
    public async Task The_validity_check_finds_what_is_wrong_with_a_broken_document()
    {
        // The control for the test above: the reader applies OpenAPI's rules as it reads. Here no
        // info, a response without its description, an optional path parameter.
        const string Broken = """
            {
              "openapi": "3.1.1",
              "paths": {
                "/users/{userId}": {
                  "get": {
                    "parameters": [ { "name": "userId", "in": "path", "schema": { "type": "string" } } ],
                    "responses": { "200": { } }
                  }
                }
              }
            }
            """;
        using var timeout = TestTimeout.After(Limit);
        await using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Broken));

        var (_, diagnostic) = await ApiDocument.ReadAsync(json, timeout.Token);

        Assert.Equal(
            ["#/info/title", "#/info/version", "#/paths/~1users~1{userId}/get/parameters/0/required", "#/paths/~1users~1{userId}/get/responses/200/description"],
            (diagnostic?.Errors ?? []).Select(error => error.Pointer).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_operation_asks_for_a_bearer_JWT_with_the_scopes_it_needs(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);

        var document = (await ApiDocument.ReadAsync(client, timeout.Token)).Document;

        Assert.NotNull(document);
        var scheme = Assert.IsType<OpenApiSecurityScheme>(document.Components?.SecuritySchemes?[ApiDocument.BearerSchemeName]);
        Assert.Equal((SecuritySchemeType.Http, "bearer", "JWT"), (scheme.Type, scheme.Scheme, scheme.BearerFormat));
        Assert.Equal(
            ScopesOf[service].Order(StringComparer.Ordinal),
            ApiDocument.Operations(document).Select(operation => $"{operation}: {string.Join(' ', operation.BearerScopes ?? ["(no token)"])}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Without_a_token_every_operation_answers_its_documented_401(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);

        foreach (var operation in await ApiDocument.OperationsAsync(client, timeout.Token))
        {
            using var request = operation.CreateRequest("alice");
            using var response = await client.SendAsync(request, timeout.Token);

            await AssertDocumentedAsync(operation, response, HttpStatusCode.Unauthorized, timeout.Token);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_token_lacking_any_scope_an_operation_lists_gets_its_documented_403(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);

        foreach (var operation in await ApiDocument.OperationsAsync(client, timeout.Token))
        {
            var scopes = operation.BearerScopes ?? [];
            Assert.NotEmpty(scopes);
            foreach (var lacking in scopes)
            {
                using var lackingClient = app.CreateClient(service, Mint(service, "alice", scopes.Where(scope => scope != lacking)));
                using var request = operation.CreateRequest("alice");
                using var response = await lackingClient.SendAsync(request, timeout.Token);

                await AssertDocumentedAsync(operation, response, HttpStatusCode.Forbidden, timeout.Token, $"without {lacking}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Ambiguous_credentials_get_the_documented_400(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);
        var token = await TokenOfAsync(service, timeout.Token);

        foreach (var operation in await ApiDocument.OperationsAsync(client, timeout.Token))
        {
            using var request = operation.CreateRequest("alice");
            request.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {token}", $"Bearer {token}"]);
            using var response = await client.SendAsync(request, timeout.Token);

            await AssertDocumentedAsync(operation, response, HttpStatusCode.BadRequest, timeout.Token);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task An_unknown_user_or_id_is_answered_as_documented_with_404_wherever_one_is(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);
        var operations = await ApiDocument.OperationsAsync(client, timeout.Token);

        Assert.Contains(operations, operation => operation.ContentTypesOf((int)HttpStatusCode.NotFound) is not null);
        foreach (var operation in operations)
        {
            // A user with no profile, allowed everything, reading any profile included.
            using var unknownClient = app.CreateClient(service, Mint(service, UnknownUser, AllScopes));
            using var request = operation.CreateRequest(UnknownUser);
            using var response = await unknownClient.SendAsync(request, timeout.Token);

            var expected = operation.ContentTypesOf((int)HttpStatusCode.NotFound) is null ? response.StatusCode : HttpStatusCode.NotFound;
            await AssertDocumentedAsync(operation, response, expected, timeout.Token);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_token_granting_what_an_operation_lists_gets_a_documented_answer(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var anonymous = app.CreateClient(service);
        using var client = app.CreateClient(service, await TokenOfAsync(service, timeout.Token));

        foreach (var operation in await ApiDocument.OperationsAsync(anonymous, timeout.Token))
        {
            using var request = operation.CreateRequest("alice");
            using var response = await client.SendAsync(request, timeout.Token);

            Assert.True((int)response.StatusCode < 500, $"{operation} answered {(int)response.StatusCode}.");
            await AssertDocumentedAsync(operation, response, response.StatusCode, timeout.Token);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_reference_page_and_its_scripts_come_from_the_service_itself(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service);

        using var page = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(timeout.Token);
        Assert.Contains(ApiDocument.Path.TrimStart('/'), html, StringComparison.Ordinal);

        // Nothing from elsewhere: every script is the service's own, so the page works offline.
        var scripts = ScriptSource().Matches(html).Select(match => match.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.False(Uri.TryCreate(script, UriKind.Absolute, out _), $"The page loads {script} from elsewhere.");
            using var response = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script), timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_dashboard_links_the_services_reference(string service)
    {
        using var timeout = TestTimeout.After(Limit);

        var resource = await app.App.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);

        var link = new Uri(Assert.Single(resource.Snapshot.Urls, url => url.DisplayProperties.DisplayName == "API reference").Url);
        Assert.Equal("/scalar/v1", link.AbsolutePath);
        using var client = app.CreateClient(service);
        Assert.Equal(client.BaseAddress!.Authority, link.Authority);
        using var page = await client.GetAsync(link, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The answer has <paramref name="status"/>, which the operation documents, with the content type it documents (problem details for an error).</summary>
    private static async Task AssertDocumentedAsync(
        DocumentedOperation operation, HttpResponseMessage response, HttpStatusCode status, CancellationToken cancellationToken, string? how = null)
    {
        var answer = $"{operation} {how}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
        Assert.True(status == response.StatusCode, $"Expected {(int)status}. {answer}");
        var documented = operation.ContentTypesOf((int)status);
        Assert.True(documented is not null, $"{(int)status} is not documented. {answer}");

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if ((int)status >= 400)
        {
            Assert.Equal([ApiDocument.ProblemContentType], documented);
            Assert.Equal(ApiDocument.ProblemContentType, contentType);
        }
        else if (contentType is not null)
        {
            Assert.Contains(contentType, documented);
        }
    }

    /// <summary>A token of <paramref name="subject"/> for <paramref name="service"/> alone, granting <paramref name="scopes"/>.</summary>
    private string Mint(string service, string subject, IEnumerable<string> scopes) =>
        app.Forge.Mint(subject, [service], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), string.Join(' ', scopes));

    /// <summary>A real token of alice's that grants every scope the service's operations list.</summary>
    private Task<string> TokenOfAsync(string service, CancellationToken cancellationToken) =>
        app.GetTokenAsync("alice", service == "userservice" ? "users.read profiles.read" : "profiles.read", cancellationToken);

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
