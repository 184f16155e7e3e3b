using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.KeyRotation;

/// <summary>
/// The issuer rotates its signing keys while users call through both services, and no valid token
/// is refused; a replaced key leaves the key set once its access tokens have expired, and a key
/// retired once all its tokens have expired is no longer trusted anywhere. Its own app
/// (<see cref="KeyRotationApp"/>), after the other tests: rotations change what every token is signed with.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class KeyRotationTests(KeyRotationApp app) : IClassFixture<KeyRotationApp>
{
    private const string BothServices = "users.read profiles.read";
    private const int Users = 12;
    private const int CallsPerToken = 8;
    private const int CallsPerKey = 150;
    private static readonly TimeSpan RetiredKeyRefusedWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Rotating_twice_while_users_call_through_both_services_refuses_no_valid_token()
    {
        using var timeout = TestTimeout.After(Limit);
        using var admin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", timeout.Token));
        var calls = new CallLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var load = Task.WhenAll(Enumerable.Range(101, Users).Select(user => CallAsync($"user{user:000}", calls, stop.Token)));

        // The schedule rotates too (every 20 s here); a rotation on demand starts its period anew.
        await calls.UntilAsync(log => log.Succeeded() >= CallsPerKey, timeout.Token);
        var keys = new List<string>();
        for (var rotation = 0; rotation < 2; rotation++)
        {
            // The admin token was signed by the first key: the issuer still honours it after each rotation.
            using var rotate = await admin.PostAsync(new Uri("/admin/signing-keys/rotate", UriKind.Relative), content: null, timeout.Token);
            Assert.Equal(HttpStatusCode.Accepted, rotate.StatusCode);
            var rotated = await rotate.Content.ReadFromJsonAsync<Rotation>(timeout.Token);
            keys.Add(rotated!.KeyId);
            await calls.UntilAsync(log => log.Succeeded(rotated.KeyId) >= CallsPerKey, timeout.Token);
        }

        await stop.CancelAsync();
        await load;

        TestContext.Current.TestOutputHelper?.WriteLine(calls.Summary);
        Assert.Empty(calls.Failures);
        Assert.All(keys, key => Assert.True(calls.Succeeded(key) >= CallsPerKey, calls.Summary));
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Subset((await app.PublishedKeyIdsAsync(timeout.Token)).ToHashSet(), keys.ToHashSet());
    }

    [Fact]
    public async Task A_key_retired_once_its_tokens_expired_leaves_the_key_set_and_its_tokens_are_refused_by_both_services()
    {
        using var timeout = TestTimeout.After(Limit);
        using var admin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", timeout.Token));
        var retiring = (await SigningKeysAsync(admin, timeout.Token)).ActiveKeyId;
        using var forge = new TokenForge(await app.ReadSigningKeyAsync(retiring, timeout.Token), app.Forge.Issuer, retiring);
        var token = forge.Mint("user120", ["userservice", "profileservice"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), BothServices);
        using var profileService = app.CreateClient("profileservice", token);
        using var userService = app.CreateClient("userservice", token);

        // Two rotations: the key's successor signs, then hands over too, so the key's last tokens
        // can expire while its successor's are still valid.
        string? newest = null;
        for (var rotation = 0; rotation < 2; rotation++)
        {
            using var rotate = await admin.PostAsync(new Uri("/admin/signing-keys/rotate", UriKind.Relative), content: null, timeout.Token);
            Assert.Equal(HttpStatusCode.Accepted, rotate.StatusCode);
            newest = (await rotate.Content.ReadFromJsonAsync<Rotation>(timeout.Token))!.KeyId;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await StatusesAsync(profileService, userService, timeout.Token));
        Assert.Contains(retiring, await app.PublishedKeyIdsAsync(timeout.Token));

        // Time moves on in the store, the only clock the schedule reads: every key but the newest
        // activated 60 days ago, longer ago than any token lives (refresh tokens: 14 days).
        await AgeAllKeysButAsync(newest!, TimeSpan.FromDays(60), timeout.Token);
        await Polling.UntilAsync(app.PublishedKeyIdsAsync, keys => !keys.Contains(retiring), timeout.Token);
        var sinceUnpublished = Stopwatch.StartNew();
        var statuses = await Polling.UntilAsync(
            cancellationToken => StatusesAsync(profileService, userService, cancellationToken),
            statuses => statuses.All(status => status == HttpStatusCode.Unauthorized),
            timeout.Token);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        // "Within seconds": two reads of the keys (KeyRotationApp: every 2 s), and room for a busy machine.
        Assert.True(sinceUnpublished.Elapsed <= RetiredKeyRefusedWithin,
            $"Its tokens were refused only {sinceUnpublished.Elapsed.TotalSeconds:0.0} s after the key left the key set.");
        await using var store = await app.OpenIdentityStoreAsync(timeout.Token);
        await using var count = store.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM SigningKeys WHERE Id = $id";
        count.Parameters.AddWithValue("$id", retiring);
        Assert.Equal(0L, await count.ExecuteScalarAsync(timeout.Token));
    }

    [Fact]
    public async Task A_replaced_key_leaves_the_key_set_once_its_access_tokens_expired_and_still_verifies_its_refresh_tokens()
    {
        using var timeout = TestTimeout.After(Limit);
        using var admin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", timeout.Token));
        var replaced = (await SigningKeysAsync(admin, timeout.Token)).ActiveKeyId;
        var refreshToken = (await app.SignInWithRefreshTokenAsync("user131", BothServices, timeout.Token)).RefreshToken;
        using var rotate = await admin.PostAsync(new Uri("/admin/signing-keys/rotate", UriKind.Relative), content: null, timeout.Token);
        Assert.Equal(HttpStatusCode.Accepted, rotate.StatusCode);

        // An hour passes in the store: longer than access and identity tokens live (15 and 20
        // minutes), far shorter than refresh tokens (14 days).
        await AgeAllKeysButAsync(newest: "", TimeSpan.FromHours(1), timeout.Token);
        using (var published = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token))
        {
            published.CancelAfter(TimeSpan.FromSeconds(30));
            await Polling.UntilAsync(app.PublishedKeyIdsAsync, keys => !keys.Contains(replaced), published.Token);
        }

        var listed = Assert.Single((await SigningKeysAsync(admin, timeout.Token)).Keys, key => key.KeyId == replaced);
        Assert.Equal("retiring", listed.Status);
        Assert.True(listed.PublishedUntil < DateTime.UtcNow && listed.RetiresAt > DateTime.UtcNow.AddDays(1), $"{listed}");

        // The issuer still verifies the refresh token the key signed: nobody has to sign in again.
        using var identity = app.CreateClient("identity");
        using var refreshed = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "dev-cli",
            ["refresh_token"] = refreshToken,
        }), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task Keys_rotate_on_schedule_without_being_asked()
    {
        using var timeout = TestTimeout.After(Limit);
        var first = new JsonWebToken(await app.GetFreshTokenAsync("user130", BothServices, timeout.Token)).Kid;

        var later = await Polling.UntilAsync(
            async cancellationToken => new JsonWebToken(await app.GetFreshTokenAsync("user130", BothServices, cancellationToken)).Kid,
            kid => kid != first,
            timeout.Token);

        Assert.Contains(later, await app.PublishedKeyIdsAsync(timeout.Token));
        Assert.Contains(first, await app.PublishedKeyIdsAsync(timeout.Token));
    }

    [Fact]
    public async Task Without_an_identity_admin_token_the_keys_are_neither_rotated_nor_listed()
    {
        using var timeout = TestTimeout.After(Limit);
        using var anonymous = app.CreateClient("identity");
        // A user's token is for the services, not for the issuer's admin API (audience identity).
        using var user = app.CreateClient("identity", await app.GetFreshTokenAsync("bob", BothServices, timeout.Token));

        using var noToken = await anonymous.PostAsync(new Uri("/admin/signing-keys/rotate", UriKind.Relative), content: null, timeout.Token);
        using var noScope = await user.PostAsync(new Uri("/admin/signing-keys/rotate", UriKind.Relative), content: null, timeout.Token);
        using var list = await user.GetAsync(new Uri("/admin/signing-keys", UriKind.Relative), timeout.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noScope.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    /// <summary>One user calling /users/me through both services until stopped, with a new token every few calls.</summary>
    private async Task CallAsync(string user, CallLog calls, CancellationToken stop)
    {
        using var client = app.CreateClient("userservice");
        try
        {
            for (var call = 0; !stop.IsCancellationRequested; call++)
            {
                var token = call % CallsPerToken == 0 ? await app.GetFreshTokenAsync(user, BothServices, stop) : calls.LastTokenOf(user);
                calls.SetToken(user, token);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
                request.Headers.Authorization = new("Bearer", token);
                using var response = await client.SendAsync(request, stop);
                calls.Record(new JsonWebToken(token).Kid, response.StatusCode, response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync(stop));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<SigningKeys> SigningKeysAsync(HttpClient admin, CancellationToken cancellationToken) =>
        (await admin.GetFromJsonAsync<SigningKeys>(new Uri("/admin/signing-keys", UriKind.Relative), cancellationToken))!;

    private static async Task<HttpStatusCode[]> StatusesAsync(HttpClient profileService, HttpClient userService, CancellationToken cancellationToken)
    {
        // An endpoint of UserService that calls no other service: the 401 is its own (404: no such export).
        using var profile = await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        using var user = await userService.GetAsync(new Uri($"/users/me/exports/{Guid.Empty}", UriKind.Relative), cancellationToken);
        return [profile.StatusCode, user.StatusCode == HttpStatusCode.NotFound ? HttpStatusCode.OK : user.StatusCode];
    }

    private async Task AgeAllKeysButAsync(string newest, TimeSpan age, CancellationToken cancellationToken)
    {
        await using var store = await app.OpenIdentityStoreAsync(cancellationToken);
        await using var command = store.CreateCommand();
        command.CommandText = "SELECT Id, ActivatesAt FROM SigningKeys WHERE Id <> $newest";
        command.Parameters.AddWithValue("$newest", newest);
        var keys = new List<(string Id, DateTime ActivatesAt)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add((reader.GetString(0), reader.GetDateTime(1)));
            }
        }

        foreach (var (id, activatesAt) in keys)
        {
            await using var update = store.CreateCommand();
            update.CommandText = "UPDATE SigningKeys SET ActivatesAt = $activatesAt WHERE Id = $id";
            update.Parameters.AddWithValue("$activatesAt", activatesAt - age);
            update.Parameters.AddWithValue("$id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>What the users' calls answered, by the kid of the token they carried.</summary>
    private sealed class CallLog
    {
        private readonly ConcurrentDictionary<string, int> _succeeded = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Failures => _failures;

        public string Summary =>
            $"succeeded by key: {string.Join(", ", _succeeded.Select(pair => $"{pair.Key[..8]}: {pair.Value}"))}; failed: {_failures.Count} {string.Join(" | ", _failures.Take(5))}";

        public int Succeeded(string keyId) => _succeeded.GetValueOrDefault(keyId);

        public int Succeeded() => _succeeded.Values.Sum();

        public string LastTokenOf(string user) => _tokens[user];

        public void SetToken(string user, string token) => _tokens[user] = token;

        public void Record(string keyId, HttpStatusCode status, string? body)
        {
            if (status == HttpStatusCode.OK)
            {
                _succeeded.AddOrUpdate(keyId, 1, (_, count) => count + 1);
            }
            else
            {
                _failures.Enqueue($"{(int)status} with a token of {keyId[..8]}: {body}");
            }
        }

        /// <summary>Until <paramref name="done"/> holds, or a call failed.</summary>
        public Task UntilAsync(Func<CallLog, bool> done, CancellationToken cancellationToken) =>
            Polling.UntilAsync(_ => Task.FromResult(done(this) || !_failures.IsEmpty), finished => finished, cancellationToken);
    }

    private sealed record Rotation([property: JsonPropertyName("keyId")] string KeyId);

    private sealed record SigningKeys(
        [property: JsonPropertyName("activeKeyId")] string ActiveKeyId,
        [property: JsonPropertyName("keys")] IReadOnlyList<SigningKeyListed> Keys);

    private sealed record SigningKeyListed(
        [property: JsonPropertyName("keyId")] string KeyId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("retiresAt")] DateTime? RetiresAt,
        [property: JsonPropertyName("publishedUntil")] DateTime? PublishedUntil);

}
