using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using JwtPropagation;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Dashboard;
using Tests.Integration;

namespace Tests.KeyRetirement;

/// <summary>
/// A signing key that may have leaked is retired now (POST /admin/signing-keys/{kid}/retire): it
/// leaves the key set at once, a fresh key signs, and both services refuse its tokens, those the
/// issuer signed and those forged with it after, within a minute, while users keep calling with
/// tokens of the other keys and none is refused. Its own app (<see cref="KeyRetirementApp"/>), after the other tests.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class KeyRetirementTests(KeyRetirementApp app) : IClassFixture<KeyRetirementApp>
{
    private const string BothServices = "users.read profiles.read";
    private const int Users = 20;
    private const int CallsPerToken = 6;
    private const int CallsWithEachKey = 150;
    private const string UserServiceOwnEndpoint = "/users/me/exports/00000000-0000-0000-0000-000000000000";
    private static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Retiring_the_active_key_under_load_refuses_its_tokens_at_both_services_within_a_minute_and_no_other_token()
    {
        using var timeout = TestTimeout.After(Limit);
        var cancellationToken = timeout.Token;
        using var admin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken));
        var retired = (await SigningKeysAsync(admin, cancellationToken)).ActiveKeyId;

        // The next key, published ahead: the services hold it once a token of it came their way, as
        // they would after the publish lead. Its tokens then send them to read no keys: only the
        // revocation feed can tell them of the retirement.
        var next = await NextKeyAsync(admin, cancellationToken);
        using (var nextKey = new TokenForge(await app.ReadSigningKeyAsync(next, cancellationToken), app.Forge.Issuer, next))
        {
            var ofNextKey = nextKey.Mint("user175", ["userservice", "profileservice"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), BothServices);
            await Polling.UntilAsync(ct => StatusesAsync([ofNextKey], ct), statuses => statuses.All(status => status == HttpStatusCode.OK), cancellationToken);
        }

        // What a thief of the key holds: tokens the issuer signed with it, and the key itself.
        var issued = await app.GetFreshTokenAsync("user170", BothServices, cancellationToken);
        Assert.Equal(retired, new JsonWebToken(issued).Kid);
        using var thief = new TokenForge(await app.ReadSigningKeyAsync(retired, cancellationToken), app.Forge.Issuer, retired);
        Assert.All(await StatusesAsync([issued], cancellationToken), status => Assert.Equal(HttpStatusCode.OK, status));

        var load = new RetiredKeyLoad(app, Users, CallsPerToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = load.RunAsync(firstUser: 141, stop.Token);
        await UntilAsync(() => load.Succeeded(key => key == retired) >= CallsWithEachKey || running.IsCompleted, cancellationToken);

        var retiredAt = load.Now;
        using var retire = await admin.PostAsync(RetireUri(retired), content: null, cancellationToken);
        var answeredAfter = load.Now - retiredAt;
        Assert.Equal(HttpStatusCode.OK, retire.StatusCode);
        var retirement = (await retire.Content.ReadFromJsonAsync<Retirement>(cancellationToken))!;
        Assert.Equal(retired, retirement.KeyId);
        Assert.Equal(next, retirement.ActiveKeyId);

        // At once: the key set no longer lists it.
        var published = await app.PublishedKeyIdsAsync(cancellationToken);
        Assert.DoesNotContain(retired, published);
        Assert.Contains(retirement.ActiveKeyId, published);

        // Each service asked directly, with a token the issuer signed before and one forged after.
        var forged = thief.Mint("user171", ["userservice", "profileservice"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), BothServices);
        await UntilRefusedAsync([issued, forged], cancellationToken);
        var refusedAfter = load.Now - retiredAt;

        // A new token is signed by the key that signs now.
        var fresh = await app.GetFreshTokenAsync("user172", BothServices, cancellationToken);
        Assert.Equal(retirement.ActiveKeyId, new JsonWebToken(fresh).Kid);

        await UntilAsync(() => load.Succeeded(key => key != retired) >= CallsWithEachKey || running.IsCompleted, cancellationToken);
        await stop.CancelAsync();
        await running;

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"Retirement answered after {answeredAfter.TotalSeconds:0.00} s; the retired key's tokens refused by both services {refusedAfter.TotalSeconds:0.0} s after it was asked for.");
        output?.WriteLine($"Calls by key and status ({Users} users): {load.Summary}");
        Assert.True(refusedAfter <= RefusedWithin, $"The retired key's tokens were accepted until {refusedAfter.TotalSeconds:0.0} s after its retirement.");
        Assert.Empty(load.Failed(key => key != retired));
        Assert.True(load.Succeeded(key => key != retired) >= CallsWithEachKey, load.Summary);
        Assert.DoesNotContain(load.Calls, call => call.KeyId == retired && call.Status == HttpStatusCode.OK && call.StartedAt >= retiredAt + refusedAfter);
        Assert.All(await StatusesAsync([fresh], cancellationToken), status => Assert.Equal(HttpStatusCode.OK, status));

        // The services name the reason; the issuer's own admin API refuses the admin's token it signed too.
        Assert.Equal([TokenFailureReasons.KeyRetired, TokenFailureReasons.KeyRetired], await FailureReasonsAsync(forged, cancellationToken));
        using var adminTokenOfRetiredKey = await admin.GetAsync(new Uri("/admin/signing-keys", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, adminTokenOfRetiredKey.StatusCode);
        using var newAdmin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken));
        var keys = await SigningKeysAsync(newAdmin, cancellationToken);
        Assert.Equal(next, keys.ActiveKeyId);
        Assert.Equal("retired", Assert.Single(keys.Keys, key => key.KeyId == retired).Status);
        using var again = await newAdmin.PostAsync(RetireUri(retired), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);

        // With no key waiting, retiring the key that signs puts a new one in its place at once.
        using var retireAgain = await newAdmin.PostAsync(RetireUri(next), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, retireAgain.StatusCode);
        var created = (await retireAgain.Content.ReadFromJsonAsync<Retirement>(cancellationToken))!.ActiveKeyId;
        Assert.DoesNotContain(created, new[] { retired, next });
        Assert.Equal([created], await app.PublishedKeyIdsAsync(cancellationToken));
        var ofCreated = await app.GetFreshTokenAsync("user176", BothServices, cancellationToken);
        Assert.Equal(created, new JsonWebToken(ofCreated).Kid);

        // A key no service has read yet: each reads the key set for it, at most once per
        // UnknownKeyRefreshInterval (5 s), so its first tokens may be refused for that long.
        var createdAt = load.Now;
        using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bound.CancelAfter(TimeSpan.FromSeconds(30));
            await Polling.UntilAsync(ct => StatusesAsync([ofCreated], ct), statuses => statuses.All(status => status == HttpStatusCode.OK), bound.Token);
        }

        output?.WriteLine($"A token of the key made at once accepted by both services after {(load.Now - createdAt).TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task Only_an_admin_retires_a_key_and_only_one_the_issuer_holds()
    {
        using var timeout = TestTimeout.After(Limit);
        var cancellationToken = timeout.Token;
        using var admin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken));
        using var anonymous = app.CreateClient("identity");
        using var user = app.CreateClient("identity", await app.GetFreshTokenAsync("bob", BothServices, cancellationToken));
        var active = (await SigningKeysAsync(admin, cancellationToken)).ActiveKeyId;

        // Nothing here retires a key: the other test needs the keys as they are.
        using var noToken = await anonymous.PostAsync(RetireUri(active), content: null, cancellationToken);
        using var noScope = await user.PostAsync(RetireUri(active), content: null, cancellationToken);
        using var unknown = await admin.PostAsync(RetireUri("not-a-key-of-this-issuer"), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noScope.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    private static Uri RetireUri(string keyId) => new($"/admin/signing-keys/{keyId}/retire", UriKind.Relative);

    private static async Task<SigningKeys> SigningKeysAsync(HttpClient admin, CancellationToken cancellationToken) =>
        (await admin.GetFromJsonAsync<SigningKeys>(new Uri("/admin/signing-keys", UriKind.Relative), cancellationToken))!;

    /// <summary>The key published to sign next: the one a rotation under way waits with, or a new one.</summary>
    private static async Task<string> NextKeyAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        using var rotate = await admin.PostAsync(new Uri("/admin/signing-keys/rotate", UriKind.Relative), content: null, cancellationToken);
        return rotate.StatusCode == HttpStatusCode.Accepted
            ? (await rotate.Content.ReadFromJsonAsync<Rotation>(cancellationToken))!.KeyId
            : Assert.Single((await SigningKeysAsync(admin, cancellationToken)).Keys, key => key.Status == "next").KeyId;
    }

    private static async Task UntilAsync(Func<bool> done, CancellationToken cancellationToken) =>
        await Polling.UntilAsync(_ => Task.FromResult(done()), finished => finished, cancellationToken);

    /// <summary>UserService (on an endpoint that calls no other service: 404, no such export) and ProfileService, each token.</summary>
    private async Task<HttpStatusCode[]> StatusesAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var token in tokens)
        {
            using var userService = app.CreateClient("userservice", token);
            using var profileService = app.CreateClient("profileservice", token);
            using var user = await userService.GetAsync(new Uri(UserServiceOwnEndpoint, UriKind.Relative), cancellationToken);
            using var profile = await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
            statuses.Add(user.StatusCode == HttpStatusCode.NotFound ? HttpStatusCode.OK : user.StatusCode);
            statuses.Add(profile.StatusCode);
        }

        return [.. statuses];
    }

    /// <summary>Asks both services again until they refuse every token; fails past half a minute more than the bound.</summary>
    private async Task UntilRefusedAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(RefusedWithin + TimeSpan.FromSeconds(30));
        try
        {
            await Polling.UntilAsync(
                ct => StatusesAsync(tokens, ct), statuses => statuses.All(status => status == HttpStatusCode.Unauthorized), bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The retired key's tokens were still accepted {(RefusedWithin + TimeSpan.FromSeconds(30)).TotalSeconds:0} s after its retirement.");
        }
    }

    /// <summary>Why UserService and ProfileService refused <paramref name="token"/>, as their traces say.</summary>
    private async Task<string?[]> FailureReasonsAsync(string token, CancellationToken cancellationToken)
    {
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        List<string?> reasons = [];
        foreach (var (service, path) in new[] { ("userservice", UserServiceOwnEndpoint), ("profileservice", "/profiles/me") })
        {
            using var client = app.CreateClient(service, token);
            var (traceId, status, _) = await TracedCall.SendAsync(client, HttpMethod.Get, path, cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            var trace = await telemetry.WaitForTraceAsync(traceId, trace => trace.Has(service, "token refused"), cancellationToken);
            reasons.Add(trace.SpansOf(service).Single(span => span.Span.Name == "token refused").Span.Attributes.Value(TokenTelemetry.FailureReason));
        }

        return [.. reasons];
    }

    private sealed record Rotation([property: JsonPropertyName("keyId")] string KeyId);

    private sealed record Retirement(
        [property: JsonPropertyName("keyId")] string KeyId,
        [property: JsonPropertyName("activeKeyId")] string ActiveKeyId);

    private sealed record SigningKeys(
        [property: JsonPropertyName("activeKeyId")] string ActiveKeyId,
        [property: JsonPropertyName("keys")] IReadOnlyList<SigningKeyListed> Keys);

    private sealed record SigningKeyListed(
        [property: JsonPropertyName("keyId")] string KeyId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("retiresAt")] DateTime? RetiresAt,
        [property: JsonPropertyName("publishedUntil")] DateTime? PublishedUntil);
}
