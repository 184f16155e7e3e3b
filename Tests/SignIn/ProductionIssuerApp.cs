using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.SignIn;

/// <summary>
/// The issuer alone, as deployed: <c>ASPNETCORE_ENVIRONMENT=Production</c> (no seed, no password
/// grant, https required), behind an https ingress: it reads <c>X-Forwarded-Proto</c>, which every
/// request of these tests to it carries, as the platform's ingress would add it.
/// </summary>
public sealed class ProductionIssuerApp : DistributedAppFixture
{
    private static readonly string IdentityProject =
        Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, "..", "IdentityService", "IdentityService.csproj"));

    protected override IReadOnlyList<string> Services => ["identity"];

    public override HttpClient CreateClient(string service)
    {
        var client = base.CreateClient(service);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    /// <summary>
    /// Runs the issuer's admin command <paramref name="arguments"/> as documented
    /// (<c>dotnet run --project IdentityService -- ...</c>), against this issuer's store and
    /// environment; answers its exit code and output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunAdminCommandAsync(string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["run", "--project", IdentityProject, "--no-build", "--no-launch-profile", "--", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // The settings the issuer runs with: its environment, store, issuer, feed key and key-encryption key.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["IdentityServer__DataDirectory"] = IdentityDataDirectory;
        start.Environment["IdentityServer__Issuer"] = App.GetEndpoint("identity", "http").ToString();
        start.Environment["IdentityServer__RevocationFeedKey"] = await GetParameterValueAsync("revocation-feed-key", cancellationToken);
        start.Environment["IdentityServer__KeyEncryptionKey"] = await GetParameterValueAsync("key-encryption-key", cancellationToken);

        using var command = Process.Start(start)!;
        try
        {
            await command.StandardInput.WriteLineAsync(input);
            command.StandardInput.Close();
            var output = command.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = command.StandardError.ReadToEndAsync(cancellationToken);
            await command.WaitForExitAsync(cancellationToken);
            return (command.ExitCode, await output + await errors);
        }
        finally
        {
            if (!command.HasExited)
            {
                command.Kill(entireProcessTree: true);
            }
        }
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production")
            .WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");

        // The services would reach the issuer over plain http here, which it now refuses; this app
        // is about the issuer alone.
        foreach (var service in new[] { "userservice", "profileservice" })
        {
            builder.Resources.Remove(builder.Resources.Single(resource => resource.Name == service));
        }
    }
}
