using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Packages;

/// <summary>
/// The two packages as a user takes them: packed from the repository into a folder feed, restored
/// from it (not from project references) into a small app of their own (ConsumerApp: two services
/// and an AppHost), built, run against the real issuer, and called with a real token.
/// </summary>
public sealed class PackageConsumerTests(DistributedAppFixture app)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);
    private static readonly string Repository = Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, ".."));

    [Fact]
    public async Task An_app_built_from_the_packages_validates_and_forwards_a_real_token()
    {
        using var timeout = TestTimeout.After(Limit);
        var root = Directory.CreateTempSubdirectory("package-consumer-");
        try
        {
            var consumer = await CreateConsumerAppAsync(root.FullName, timeout.Token);

            // The AppHost integration: the manifest shows what it handed each service.
            var manifest = Path.Combine(root.FullName, "manifest.json");
            await DotnetProcess.RunAsync(consumer, [
                "run", "--project", "AppHost", "--no-build", "--",
                "--publisher", "manifest", "--output-path", manifest,
                "--IssuerProject", Path.Combine(Repository, "IdentityService", "IdentityService.csproj")], timeout.Token);
            var resources = JsonNode.Parse(await File.ReadAllTextAsync(manifest, timeout.Token))!["resources"]!;
            foreach (var service in new[] { "front", "back" })
            {
                Assert.Equal("https://identity", (string?)resources[service]!["env"]!["JwtValidation__Authority"]);
                Assert.Equal("{identity.bindings.https.url}/", (string?)resources[service]!["env"]!["JwtValidation__Issuer"]);
            }

            Assert.Equal("{front-client-secret.value}", (string?)resources["front"]!["env"]!["TokenExchange__ClientSecret"]);

            // An issuer outside the app: its settings on the service, no feed, nothing of its own deployed.
            var partnerBack = resources["partner-back"]!["env"]!.AsObject();
            Assert.Equal(
                ("{partner-authority.value}", "api://back", "JWT"),
                ((string?)partnerBack["JwtValidation__Authority"], (string?)partnerBack["JwtValidation__Audience"], (string?)partnerBack["JwtValidation__TokenTypes__0"]));
            Assert.DoesNotContain(partnerBack, setting => setting.Key.StartsWith("JwtValidation__RevocationFeed", StringComparison.Ordinal));
            Assert.Null(resources["partner"]);

            // The services, run against the issuer of the shared app.
            var back = FreeLoopbackAddress();
            var front = FreeLoopbackAddress();
            await using var backService = await StartServiceAsync(consumer, "Back", back, [], timeout.Token);
            await using var frontService = await StartServiceAsync(consumer, "Front", front, new()
            {
                ["Back__Destination"] = back.ToString(),
                ["Back__Mode"] = "Forward",
            }, timeout.Token);

            using var client = new HttpClient { BaseAddress = front };
            using (var anonymous = await client.GetAsync(new Uri("/whoami", UriKind.Relative), timeout.Token))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            foreach (var user in new[] { "alice", "bob" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await app.GetTokenAsync(user, "users.read profiles.read", timeout.Token));
                using var response = await client.SendAsync(request, timeout.Token);
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} for {user}:\n{frontService.Output}\n{backService.Output}");
                Assert.Equal(new WhoAmI(user, user), await response.Content.ReadFromJsonAsync<WhoAmI>(timeout.Token));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>Packs both packages into a feed under <paramref name="root"/> and builds ConsumerApp from it; answers where the app is.</summary>
    private static async Task<string> CreateConsumerAppAsync(string root, CancellationToken cancellationToken)
    {
        // A version of this run's own, so no package of an earlier run is taken from NuGet's cache.
        var version = $"0.1.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var feed = Path.Combine(root, "feed");
        foreach (var package in new[] { "JwtPropagation", "JwtPropagation.Hosting" })
        {
            await DotnetProcess.RunAsync(Repository, [
                "pack", Path.Combine(package, package + ".csproj"), "--configuration", "Release",
                "--artifacts-path", Path.Combine(root, "artifacts"), "--output", feed, $"-p:Version={version}"], cancellationToken);
        }

        var consumer = Path.Combine(root, "app");
        CopyDirectory(Path.Combine(Repository, "Tests", "Packages", "ConsumerApp"), consumer);
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <JwtPropagationVersion>{version}</JwtPropagationVersion>
              </PropertyGroup>
            </Project>
            """, cancellationToken);

        await DotnetProcess.RunAsync(consumer, ["build", "AppHost"], cancellationToken);
        return consumer;
    }

    private async Task<DotnetProcess> StartServiceAsync(
        string consumer, string name, Uri address, Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var identity = app.App.GetEndpoint("identity", "http");
        settings["ASPNETCORE_URLS"] = address.ToString();
        settings["ASPNETCORE_ENVIRONMENT"] = "Development";
        settings["JwtValidation__Authority"] = identity.ToString();
        settings["JwtValidation__Issuer"] = $"{identity.ToString().TrimEnd('/')}/";
        settings["JwtValidation__RevocationFeed"] = new Uri(identity, "/revocations").ToString();
        settings["JwtValidation__RevocationFeedKey"] = await app.GetParameterValueAsync("revocation-feed-key", cancellationToken);

        var service = DotnetProcess.Start(consumer, [Path.Combine(consumer, name, "bin", "Debug", "net10.0", name + ".dll")], settings);
        using var client = new HttpClient { BaseAddress = address };
        await Polling.UntilAsync(
            async token => service.HasExited || await IsHealthyAsync(client, token),
            done => done,
            cancellationToken);
        Assert.False(service.HasExited, $"{name} stopped:\n{service.Output}");
        return service;
    }

    private static async Task<bool> IsHealthyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Uri FreeLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
                     .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                    && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private sealed record WhoAmI(string Front, string Back);
}
