using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace JwtPropagation.Incoming;

/// <summary>
/// Reads the issuer's revocation feed every <see cref="JwtValidationOptions.RevocationPollInterval"/>,
/// so a revoked token is refused within seconds without a call to the issuer per request. Each read
/// names the version held and brings the lines after it, nearly always none; the first brings them
/// all, in as long as their size needs. While the issuer cannot be reached, the list held stays in
/// force (for how long, and what then, <see cref="JwtValidationOptions.RevocationFeedMaxAge"/>).
/// While a signing key the issuer retired is still among the keys held, they are read again (at most
/// once per <see cref="JwtValidationOptions.UnknownKeyRefreshInterval"/>): the key must be gone
/// before its line leaves the list, and without a read it would stay until the next scheduled one.
/// </summary>
internal sealed partial class RevocationFeedPoller(
    RevocationList revocations,
    IssuerConfigurationManager issuer,
    IHttpClientFactory httpClientFactory,
    IOptions<JwtValidationOptions> options,
    TimeProvider timeProvider,
    ILogger<RevocationFeedPoller> logger) : BackgroundService
{
    private const int BytesPerSecond = 1 << 20;

    // The feed key the last mismatch was logged for: logged once per key, not once a second.
    private string? _mismatchLogged;

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
            await ReadAsync(feed, settings.ClockSkew, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// How long a body of <paramref name="length"/> bytes may take to arrive: 2 s, and a second for
    /// every megabyte (a full list after a long outage may be large); 30 s when the length is not told.
    /// The answer's headers keep the backchannel's own time-outs.
    /// </summary>
    private static TimeSpan BodyTimeout(long? length) =>
        length is { } bytes ? TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds((double)bytes / BytesPerSecond) : TimeSpan.FromSeconds(30);

    private async Task ReadAsync(Uri feed, TimeSpan clockSkew, CancellationToken cancellationToken)
    {
        // A poll a second would bury the user's calls in the traces: it makes none.
        using var untraced = SuppressInstrumentationScope.Begin();
        try
        {
            var client = httpClientFactory.CreateClient(JwtBearerAuthenticationExtensions.BackchannelClientName);
            var address = revocations.Version is { } held
                ? new Uri(QueryHelpers.AddQueryString(feed.ToString(), "since", held.ToString(CultureInfo.InvariantCulture)))
                : feed;
            using var response = await client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();

            using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bodyTimeout.CancelAfter(BodyTimeout(response.Content.Headers.ContentLength));
            var read = await response.Content.ReadFromJsonAsync<RevocationFeedDocument>(bodyTimeout.Token)
                ?? throw new InvalidOperationException("The revocation feed is empty.");

            revocations.Apply(read, timeProvider.GetUtcNow(), clockSkew);
            if (read.KeyId is { } feedKeyId && feedKeyId != RevokedSubjectHash.KeyIdOf(options.Value.RevocationFeedKey!) && feedKeyId != _mismatchLogged)
            {
                _mismatchLogged = feedKeyId;
                LogKeyMismatch(feed, feedKeyId);
            }

            if (!read.IsEmpty)
            {
                LogRead(read.Version, read.Complete, read.RevokedTokens.Count, read.RevokedSubjects.Count);
            }

            if (issuer.Current?.SigningKeys.Any(key => revocations.IsKeyRetired(key.KeyId)) == true)
            {
                issuer.RequestRefresh();
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(feed, revocations.LastUpdated, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Read the revocation feed to version {Version} (complete: {Complete}): {Tokens} revoked tokens, {Subjects} revoked subjects")]
    private partial void LogRead(long version, bool complete, int tokens, int subjects);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The revocation feed {Feed} names its users with key {FeedKeyId}, not this service's RevocationFeedKey: revoked users are not recognised (see /health)")]
    private partial void LogKeyMismatch(Uri feed, string feedKeyId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The revocation feed {Feed} could not be read; the list read at {LastUpdated} stays in force")]
    private partial void LogReadFailed(Uri feed, DateTimeOffset? lastUpdated, Exception exception);
}
