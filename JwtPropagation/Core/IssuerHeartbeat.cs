using Microsoft.Extensions.DependencyInjection;

namespace JwtPropagation;

/// <summary>
/// When the issuer last answered anything (any request of this service's, any status: a read of its
/// keys or feed, an exchange, a probe), and when a connection to it last failed outright (refused,
/// reset, closed unanswered). What <see cref="Outgoing.IssuerLiveness"/> tells a busy issuer from a gone one by.
/// </summary>
internal sealed class IssuerHeartbeat(TimeProvider timeProvider)
{
    private long _answeredAt;
    private long _refusedAt;

    public void Answered() => Volatile.Write(ref _answeredAt, timeProvider.GetTimestamp());

    public void Refused() => Volatile.Write(ref _refusedAt, timeProvider.GetTimestamp());

    public bool AnsweredWithin(TimeSpan span) => Within(Volatile.Read(ref _answeredAt), span);

    public bool RefusedWithin(TimeSpan span) => Within(Volatile.Read(ref _refusedAt), span);

    private bool Within(long at, TimeSpan span) => at != 0 && timeProvider.GetElapsedTime(at) < span;

    /// <summary>Records every attempt on the issuer's clients: placed inside their resilience handlers.</summary>
    public static IHttpClientBuilder RecordOn(IHttpClientBuilder client) =>
        client.AddHttpMessageHandler(services => new Recorder(services.GetRequiredService<IssuerHeartbeat>()));

    private sealed class Recorder(IssuerHeartbeat heartbeat) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                heartbeat.Answered();
                return response;
            }
            catch (HttpRequestException)
            {
                heartbeat.Refused();
                throw;
            }
        }
    }
}
