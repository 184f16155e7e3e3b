using System.Text.Json.Nodes;
using Tests.Integration;

namespace Tests.Deployment;

/// <summary>
/// The manifest `azd up` deploys from, published as a user would
/// (`dotnet run --project AppHost -- --publisher manifest`), describes the app as it must run in
/// the cloud: every resource, the references between them, no secret written out, an https issuer reached over https only.
/// </summary>
public sealed class ManifestTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_published_manifest_holds_every_resource_their_references_no_secret_and_an_https_issuer()
    {
        var resources = (await PublishAsync())["resources"]!.AsObject();

        Assert.Subset(
            resources.Select(resource => resource.Key).ToHashSet(),
            new HashSet<string> { "identity", "profileservice", "userservice", "postgres", "identitydb" });

        var userService = Environment(resources, "userservice");
        Assert.Contains(userService.Values, value => value.Contains("{profileservice.bindings.", StringComparison.Ordinal));
        Assert.Contains(userService.Values, value => value.Contains("{identity.bindings.", StringComparison.Ordinal));
        Assert.Equal("{identitydb.connectionString}", Environment(resources, "identity")["ConnectionStrings__identitydb"]);

        // The issuer's rate limits count callers by the address the ingress forwards.
        Assert.Equal("true", Environment(resources, "identity")["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);

        // The services reach the issuer over https only: no http fallback outside loopback.
        foreach (var service in new[] { "profileservice", "userservice" })
        {
            Assert.Equal("https://identity", Environment(resources, service)["JwtValidation__Authority"]);
            Assert.Equal("https://identity/revocations", Environment(resources, service)["JwtValidation__RevocationFeed"]);
        }

        foreach (var service in new[] { "identity", "profileservice", "userservice" })
        {
            var issuer = Environment(resources, service)[service == "identity" ? "IdentityServer__Issuer" : "JwtValidation__Issuer"];
            Assert.Equal("{identity.bindings.https.url}/", issuer);

            // Secrets reach the services as references to parameters, never as values.
            Assert.All(
                Environment(resources, service).Where(variable => IsSecretName(variable.Key)),
                variable => Assert.Matches(@"^\{[a-z0-9-]+\.value\}$", variable.Value));
        }

        // azd gives a container app one ingress: its bindings share one transport and one port
        // (so ProfileService's gRPC endpoint stays local, and its https binding serves its HTTP API).
        foreach (var service in new[] { "identity", "profileservice", "userservice" })
        {
            var bindings = resources[service]!["bindings"]!.AsObject();
            Assert.Single(bindings.Select(binding => binding.Value!["transport"]!.GetValue<string>()).Distinct());
            Assert.Single(bindings.Select(binding => binding.Value!["targetPort"]?.GetValue<int>()).Distinct());
        }

        // Every secret parameter is generated or asked for at deployment: none carries a value.
        var secrets = resources.Where(resource => resource.Value?["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true).ToList();
        Assert.Contains(secrets, secret => secret.Key == "postgres-password");
        Assert.Contains(secrets, secret => secret.Key == "userservice-client-secret");
        Assert.Contains(secrets, secret => secret.Key == "revocation-feed-key");
        Assert.Contains(secrets, secret => secret.Key == "key-encryption-key");
        Assert.Contains(secrets, secret => secret.Key == "jobs-key-encryption-key");

        // The key the issuer's store is sealed with reaches the issuer only, from its parameter.
        Assert.Equal("{key-encryption-key.value}", Environment(resources, "identity")["IdentityServer__KeyEncryptionKey"]);
        Assert.All(new[] { "profileservice", "userservice" }, service => Assert.DoesNotContain("IdentityServer__KeyEncryptionKey", Environment(resources, service).Keys));

        // The key UserService's job store is sealed with is its own, and reaches UserService only.
        Assert.Equal("{jobs-key-encryption-key.value}", Environment(resources, "userservice")["Exports__KeyEncryptionKey"]);
        Assert.All(new[] { "identity", "profileservice" }, service => Assert.DoesNotContain("Exports__KeyEncryptionKey", Environment(resources, service).Keys));
        Assert.All(secrets, secret => Assert.Null(secret.Value!["inputs"]!["value"]!["default"]?["value"]));
    }

    private static bool IsSecretName(string name) =>
        name.Contains("Secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("Password", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Key", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, string> Environment(JsonObject resources, string name) =>
        resources[name]!["env"]!.AsObject().ToDictionary(variable => variable.Key, variable => variable.Value!.GetValue<string>());

    private static async Task<JsonNode> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("manifest-");
        try
        {
            var manifest = Path.Combine(output.FullName, "aspire-manifest.json");
            using var timeout = TestTimeout.After(PublishTimeout);
            await DotnetProcess.RunAsync(
                Path.GetDirectoryName(Projects.AppHost.ProjectPath)!,
                ["run", "--project", Projects.AppHost.ProjectPath, "--no-build", "--", "--publisher", "manifest", "--output-path", manifest],
                timeout.Token);
            return JsonNode.Parse(await File.ReadAllTextAsync(manifest, timeout.Token))!;
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
