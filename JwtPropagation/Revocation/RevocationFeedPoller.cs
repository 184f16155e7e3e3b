using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace JwtPropagation;

/// <summary>
/// Reads the issuer's revocation feed every <see cref="JwtValidationOptions.RevocationPollInterval"/>,
/// so a revoked token is refused within seconds without a call to the issuer per request. While
/// the issuer cannot be reached, the last list read stays in force.
/// </summary>
internal sealed partial class RevocationFeedPoller(
    RevocationList revocations,
    IHttpClientFactory httpClientFactory,
    IOptions<JwtValidationOptions> options,
    TimeProvider timeProvider,
    ILogger<RevocationFeedPoller> logger) : BackgroundService
{
    // The version of the list held (the feed's ETag): an unchanged feed is answered 304, with no body.
    private EntityTagHeaderValue? _version;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.RevocationFeed is not { } feed)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.RevocationPollInterval, timeProvider);
        do
        {
            await ReadAsync(feed, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReadAsync(Uri feed, CancellationToken cancellationToken)
    {
        // A poll a second would bury the user's calls in the traces: it makes none.
        using var untraced = SuppressInstrumentationScope.Begin();
        try
        {
            var client = httpClientFactory.CreateClient(JwtBearerAuthenticationExtensions.BackchannelClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, feed);
            if (_version is { } version)
            {
                request.Headers.IfNoneMatch.Add(version);
            }

            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                revocations.Confirm(timeProvider.GetUtcNow());
                return;
            }

            response.EnsureSuccessStatusCode();
            var document = await response.Content.ReadFromJsonAsync<RevocationFeed>(cancellationToken)
                ?? throw new InvalidOperationException("The revocation feed is empty.");

            revocations.Replace(
                document.RevokedTokens.Select(token => token.Jti),
                document.RevokedSubjects.Select(subject => KeyValuePair.Create(subject.Name, subject.RevokedAt)),
                timeProvider.GetUtcNow());
            _version = response.Headers.ETag;
            LogRead(document.RevokedTokens.Count, document.RevokedSubjects.Count);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(feed, revocations.LastUpdated, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read the revocation feed: {Tokens} revoked tokens, {Subjects} revoked subjects")]
    private partial void LogRead(int tokens, int subjects);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The revocation feed {Feed} could not be read; the list read at {LastUpdated} stays in force")]
    private partial void LogReadFailed(Uri feed, DateTimeOffset? lastUpdated, Exception exception);

    private sealed record RevocationFeed(IReadOnlyList<RevokedToken> RevokedTokens, IReadOnlyList<RevokedSubject> RevokedSubjects);

    private sealed record RevokedToken(string Jti, DateTimeOffset ExpiresAt);

    private sealed record RevokedSubject(string Name, DateTimeOffset RevokedAt);
}
