using System.Collections.Concurrent;

namespace Tests.TokenExchange;

/// <summary>Passes every request on unchanged, noting the Authorization header it carried.</summary>
internal sealed class ObservingHandler(ConcurrentQueue<string?> authorizations) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        authorizations.Enqueue(request.Headers.Authorization?.Parameter);
        return base.SendAsync(request, cancellationToken);
    }
}
