using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Tests.RequestLimits;

/// <summary>
/// A service on ServiceDefaults, as ours are, listening on 127.0.0.1 with the request limits the
/// test sets, on a clock the test moves. <c>/hold</c> keeps its permit until <see cref="Release"/> lets it go;
/// <c>/quick</c> answers at once; <c>POST /form</c> answers how many characters its form's values hold.
/// </summary>
internal sealed class LimitedApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _holds = new(0);

    private LimitedApp(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public Uri Address => new(_app.Urls.Single());

    public IServiceProvider Services => _app.Services;

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<LimitedApp> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);

        var app = builder.Build();
        var limited = new LimitedApp(app, time);
        app.MapDefaultEndpoints();
        app.MapGet("/quick", () => "quick");
        app.MapGet("/hold", () => limited._holds.WaitAsync());
        app.MapPost("/form", async (HttpRequest request) => (await request.ReadFormAsync()).Sum(field => field.Value.ToString().Length));

        await app.StartAsync(TestContext.Current.CancellationToken);
        return limited;
    }

    /// <summary>Lets one <c>/hold</c> request end: the one holding longest, or the next to come.</summary>
    public void Release() => _holds.Release();

    public async ValueTask DisposeAsync()
    {
        _holds.Release(1_000);
        await _app.DisposeAsync();
        _holds.Dispose();
    }
}
