using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Benchmarks.Baseline;

/// <summary>
/// Runs one baseline service, as a child process of the load harness:
/// <c>serve-baseline profile|user --urls http://127.0.0.1:PORT</c>. Both have the real services'
/// shape and payload on ServiceDefaults (telemetry, health, resilience, service discovery) and no
/// token security at all: the chain the real ones are measured against.
/// </summary>
internal static class BaselineServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var app = args switch
        {
            ["profile", .. var hostArgs] => BaselineProfileService.Build(hostArgs),
            ["user", .. var hostArgs] => BaselineUserService.Build(hostArgs),
            _ => null,
        };

        if (app is null)
        {
            await Console.Error.WriteLineAsync("usage: serve-baseline profile|user --urls http://127.0.0.1:PORT");
            return 2;
        }

        await app.RunAsync();
        return 0;
    }

    /// <summary>A builder set up as the real services' Program.cs and appsettings.json set theirs up.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // This folder holds a copy of whichever service's appsettings.json the build copied last (the
        // project references bring theirs): ProfileService's fixes Kestrel's ports, so two baseline
        // servers would clash. The baseline reads none and sets what the services' files set.
        foreach (var file in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(file);
        }

        // The real services' appsettings.json levels: no log line per request, nor per HTTP attempt.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient.*.ClientHandler", LogLevel.Warning);

        builder.AddServiceDefaults();
        builder.AddUnverifiedBearer();
        builder.Services.AddProblemDetails();
        return builder;
    }
}
