using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace IdentityService.Revocation;

/// <summary>
/// The feed as last read from the store, serialized once, with its version (an ETag: a hash of its
/// bytes). Every service polls the feed every second: all polls within <see cref="MaxAge"/> share
/// one read, and a service that holds the current version is answered 304 with no body, so a
/// hundred service instances cost the store a few reads a second and the network almost nothing.
/// </summary>
internal sealed class RevocationFeedSnapshot(IServiceScopeFactory scopes, TimeProvider timeProvider)
{
    /// <summary>How stale a served feed may be: a small part of the 5 s within which a revocation reaches every service.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Version? _current;

    public async Task<Version> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } fresh)
        {
            return fresh;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            // Another poll may have read it while this one waited.
            if (Fresh(_current) is { } readMeanwhile)
            {
                return readMeanwhile;
            }

            var readAt = timeProvider.GetTimestamp();
            await using var scope = scopes.CreateAsyncScope();
            var document = await scope.ServiceProvider.GetRequiredService<RevocationFeed>().ReadAsync(cancellationToken);
            var body = JsonSerializer.SerializeToUtf8Bytes(document, Json);
            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))}\"");
            return _current = new Version(body, tag, readAt);
        }
        finally
        {
            _reading.Release();
        }
    }

    private Version? Fresh(Version? version) =>
        version is not null && timeProvider.GetElapsedTime(version.ReadAt) < MaxAge ? version : null;

    /// <param name="ReadAt">A <see cref="TimeProvider.GetTimestamp"/> value.</param>
    public sealed record Version(byte[] Body, EntityTagHeaderValue ETag, long ReadAt);
}
