using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tests.TokenPropagation;

/// <summary>A real HTTP listener on a loopback address, recording the Authorization header of each request.</summary>
internal sealed class TestListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestListener(WebApplication app) => _app = app;

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public Uri Address => new(_app.Urls.Single());

    /// <param name="host">A loopback address: 127.0.0.1, or 127.0.0.2 for "another host".</param>
    /// <param name="respond">What to answer; 200 with an empty body when null.</param>
    public static async Task<TestListener> StartAsync(string host, Func<HttpContext, Task>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{host}:0");
        builder.Logging.ClearProviders();

        var listener = new TestListener(builder.Build());
        listener._app.Run(context =>
        {
            listener.Authorizations.Enqueue(context.Request.Headers.Authorization.FirstOrDefault());
            return respond?.Invoke(context) ?? Task.CompletedTask;
        });

        await listener._app.StartAsync(TestContext.Current.CancellationToken);
        return listener;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
