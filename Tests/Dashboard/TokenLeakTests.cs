using System.Text.RegularExpressions;
using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>
/// Distinctive tokens go through every endpoint, in the header and copied into the query string;
/// then everything the services wrote is searched for them: the telemetry the dashboard received
/// (traces, spans, logs), each service's console output, and every answer: with UserService calling
/// ProfileService over HTTP, and over gRPC.
/// </summary>
public abstract partial class TokenLeakTests(DistributedAppFixture app)
{
    private static readonly string[] Services = ["identity", "profileservice", "userservice"];

    private static readonly (string Service, string Method, string Path)[] Endpoints =
    [
        ("userservice", "GET", "/users/me"),
        ("userservice", "GET", "/users/me/summary"),
        ("userservice", "GET", "/users/bob"),
        ("userservice", "POST", "/users/me/exports"),
        ("userservice", "GET", $"/users/me/exports/{Guid.NewGuid()}"),
        ("profileservice", "GET", "/profiles/me"),
        ("profileservice", "GET", "/profiles/me/preferences"),
        ("profileservice", "GET", "/profiles/me/activity"),
        ("profileservice", "GET", "/profiles/bob"),
        ("identity", "GET", "/.well-known/openid-configuration"),
        ("identity", "POST", "/connect/token"),
        ("identity", "GET", "/revocations"),
        ("identity", "GET", "/connect/authorize?client_id=local-tools&response_type=code&scope=openid"),
        // Read-only: the canaries carry no identity.admin, and nothing here may change the shared app.
        ("identity", "GET", "/admin/signing-keys"),
    ];

    [Fact]
    public async Task No_token_or_signature_shows_up_in_telemetry_console_output_or_answers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        var canaries = new Dictionary<string, string>
        {
            ["valid"] = await app.GetFreshTokenAsync("alice", "users.read profiles.read", cancellationToken),
            ["expired"] = app.Forge.Mint("alice", ["userservice", "profileservice"], DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromMinutes(15), "users.read"),
            ["malformed"] = $"eyJjYW5hcnkiOiJtYWxmb3JtZWQifQ.{Guid.NewGuid():N}.{Guid.NewGuid():N}-signature",
        };

        var answers = new List<string>();
        var traces = new List<string>();
        foreach (var (_, token) in canaries)
        {
            foreach (var (service, method, path) in Endpoints)
            {
                foreach (var copyToQuery in new[] { false, true })
                {
                    using var client = app.CreateClient(service, token);
                    var target = copyToQuery ? $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}access_token={token}" : path;
                    var (traceId, _, answer) = await TracedCall.SendAsync(client, new HttpMethod(method), target, cancellationToken);
                    answers.Add(answer);
                    // The services trace no read of the feed (they poll it every second): no spans to wait for.
                    if (path != "/revocations")
                    {
                        traces.Add(traceId);
                    }
                }
            }
        }

        // And in a form body, where only OpenIddict's redaction keeps it out of the logs: a revocation
        // (RFC 7009) asked for by a client the issuer does not know, so it reads and logs the request
        // and revokes nothing (alice's revoked tokens count towards a line that ends all of hers).
        foreach (var (_, token) in canaries)
        {
            using var identity = app.CreateClient("identity");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = token,
                ["token_type_hint"] = "access_token",
                ["client_id"] = "no-such-client",
            });
            var (traceId, _, answer) = await TracedCall.SendAsync(identity, HttpMethod.Post, "/connect/revoke", cancellationToken, form);
            answers.Add(answer);
            traces.Add(traceId);
        }

        // Everything the calls exported has arrived once every call's spans have, and a log record
        // that UserService and the identity service each wrote after them: each service exports
        // its records in the order it wrote them. (ProfileService logs nothing per request.)
        await telemetry.WaitForTracesAsync(traces, cancellationToken);
        using var marker = app.CreateClient("userservice", canaries["valid"]);
        var markerTrace = await TracedCall.GetAsync(marker, "/users/me", cancellationToken);
        await telemetry.WaitForLogsAsync(new TelemetryFilter(Resource: "userservice", TraceId: markerTrace), logs => logs.Count > 0, cancellationToken);
        await telemetry.WaitForLogsAsync(new TelemetryFilter(Resource: "identity", TraceId: traces[^1]), logs => logs.Count > 0, cancellationToken);

        var written = new Dictionary<string, string>();
        foreach (var (endpoint, json) in await telemetry.GetAllRawAsync(cancellationToken))
        {
            written[$"dashboard {endpoint}"] = json;
        }

        foreach (var service in Services)
        {
            written[$"console of {service}"] = await ResourceConsoleLogs.ReadAsync(app.App, service, cancellationToken);
        }

        written["answers"] = string.Join('\n', answers);

        Assert.All(traces, traceId => Assert.Contains(traceId, written["dashboard /api/telemetry/spans"], StringComparison.Ordinal));
        // The dashboard drops its oldest log records first: the first call's (UserService logs its
        // call to ProfileService) still there means none written after it was dropped before the scan.
        Assert.True(written["dashboard /api/telemetry/logs"].Contains(traces[0], StringComparison.Ordinal),
            "The log records of the first call are gone from the dashboard: records written during the calls may have been dropped before the scan.");
        foreach (var (name, token) in canaries)
        {
            var signature = token[(token.LastIndexOf('.') + 1)..];
            foreach (var (source, text) in written)
            {
                Assert.False(text.Contains(token, StringComparison.Ordinal), $"The {name} token appears in the {source}.");
                Assert.False(text.Contains(signature, StringComparison.Ordinal), $"The {name} token's signature appears in the {source}.");
            }
        }

        // Nor any other token, such as one UserService obtained by exchange.
        foreach (var (source, text) in written)
        {
            Assert.False(Jwt().IsMatch(text), $"A JWT appears in the {source}: {Jwt().Match(text).Value[..Math.Min(20, Jwt().Match(text).Length)]}...");
        }
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}")]
    internal static partial Regex Jwt();
}

/// <summary>
/// Scans of everything the shared app wrote while they ran: alone, after the other tests. The
/// dashboard keeps the last 10,000 log records and traces of all of an app's services together,
/// and another test's traffic (the export test reads its jobs' status hundreds of times a second)
/// would push a scan's first records out before it reads them.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class WholeAppScans;

[Collection(typeof(WholeAppScans))]
public sealed class TokenLeakOverHttpTests(DistributedAppFixture app) : TokenLeakTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class TokenLeakOverGrpcTests(GrpcTransportApp app) : TokenLeakTests(app);
