using System.Security.Cryptography;
using System.Text.Json;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Tests.Integration;

namespace Tests.Authentication;

/// <summary>
/// How a service holds the issuer's keys through a rotation: a token of a key it has not seen yet
/// is accepted after one more read of the keys; made-up kids cannot make it read more than once per
/// interval; a read that fails or finds nothing keeps the keys held; a retired key is dropped.
/// </summary>
public sealed class IssuerConfigurationManagerTests : IDisposable
{
    private const string Issuer = "https://identity.test/";
    private const string Audience = "profileservice";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly RSA _firstKey = RSA.Create(2048);
    private readonly RSA _secondKey = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly IssuerDocuments _issuer = new();
    private readonly IssuerConfigurationManager _manager;
    private readonly VerifiedTokenHandler _handler;

    public IssuerConfigurationManagerTests()
    {
        _issuer.Publish(("key-1", _firstKey));
        _manager = new IssuerConfigurationManager(
            IssuerDocuments.MetadataAddress, _issuer, RefreshInterval, UnknownKeyRefreshInterval, _time, NullLogger<IssuerConfigurationManager>.Instance);
        _handler = new VerifiedTokenHandler(
            new JsonWebTokenHandler { MapInboundClaims = false },
            new VerifiedTokenCache(Options.Create(new JwtValidationOptions()), _time),
            JwtValidationOptions.DefaultScopeClaim);
    }

    public void Dispose()
    {
        _firstKey.Dispose();
        _secondKey.Dispose();
    }

    [Fact]
    public async Task A_token_of_a_key_published_after_the_last_read_is_accepted_after_one_more_read()
    {
        Assert.True((await ValidateAsync(Mint("key-1", _firstKey))).IsValid);

        _issuer.Publish(("key-1", _firstKey), ("key-2", _secondKey));
        var result = await ValidateAsync(Mint("key-2", _secondKey));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(2, _issuer.KeySetReads);
    }

    [Fact]
    public async Task Tokens_with_made_up_kids_make_one_read_per_interval_however_many_arrive()
    {
        await _manager.GetConfigurationAsync(TestContext.Current.CancellationToken);
        using var attackerKey = RSA.Create(2048);

        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(index => ValidateAsync(Mint($"made-up-{index}", attackerKey))));
        var readsAfterFlood = _issuer.KeySetReads;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(index => ValidateAsync(Mint($"more-{index}", attackerKey))));
        var readsWithinInterval = _issuer.KeySetReads;
        _time.Advance(UnknownKeyRefreshInterval);
        await ValidateAsync(Mint("after-the-interval", attackerKey));

        Assert.All(flood, result => Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(result.Exception));
        Assert.Equal(2, readsAfterFlood);
        Assert.Equal(2, readsWithinInterval);
        Assert.Equal(3, _issuer.KeySetReads);
    }

    [Theory]
    [InlineData("unreachable")]
    [InlineData("empty")]
    [InlineData("malformed")]
    public async Task A_read_that_fails_or_finds_no_keys_keeps_the_keys_held(string keySet)
    {
        var held = await _manager.GetConfigurationAsync(TestContext.Current.CancellationToken);

        _issuer.Break(keySet);
        _time.Advance(RefreshInterval);
        var answered = await _manager.GetConfigurationAsync(TestContext.Current.CancellationToken);
        var afterRead = await _manager.RefreshForUnknownKeyAsync();

        Assert.Same(held, answered);
        Assert.Same(held, afterRead);
        Assert.Contains(afterRead!.SigningKeys, key => key.KeyId == "key-1");
        var result = await ValidateAsync(Mint("key-1", _firstKey));
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Theory]
    [InlineData("unreachable")]
    [InlineData("empty")]
    [InlineData("malformed")]
    public async Task After_a_read_that_fails_or_finds_no_keys_the_keys_are_read_again_once_the_unknown_key_interval_has_passed(string keySet)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var held = await _manager.GetConfigurationAsync(timeout.Token);
        _issuer.Break(keySet);
        _time.Advance(RefreshInterval);
        await _manager.GetConfigurationAsync(timeout.Token);
        await _issuer.WaitForKeySetReadsAsync(2, timeout.Token);

        _issuer.Publish(("key-1", _firstKey), ("key-2", _secondKey));
        _time.Advance(UnknownKeyRefreshInterval);

        // Each request past the due time may start the read; none should have to wait for a new kid to do so.
        while (_manager.Current == held)
        {
            await _manager.GetConfigurationAsync(timeout.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }

        Assert.Contains(_manager.Current!.SigningKeys, key => key.KeyId == "key-2");
    }

    [Fact]
    public async Task An_unchanged_key_set_keeps_its_instance_and_a_retired_key_is_dropped_at_the_next_read()
    {
        var held = await _manager.GetConfigurationAsync(TestContext.Current.CancellationToken);
        var unchanged = await _manager.RefreshForUnknownKeyAsync();

        _issuer.Publish(("key-2", _secondKey));
        _time.Advance(UnknownKeyRefreshInterval);
        var afterRetirement = await _manager.RefreshForUnknownKeyAsync();
        var retiredKeysToken = await ValidateAsync(Mint("key-1", _firstKey));

        Assert.Same(held, unchanged);
        Assert.NotSame(held, afterRetirement);
        Assert.DoesNotContain(afterRetirement!.SigningKeys, key => key.KeyId == "key-1");
        Assert.False(retiredKeysToken.IsValid);
    }

    [Fact]
    public async Task Past_the_refresh_interval_the_held_keys_answer_at_once_and_are_read_again_in_the_background()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var held = await _manager.GetConfigurationAsync(timeout.Token);
        _issuer.Publish(("key-1", _firstKey), ("key-2", _secondKey));

        _time.Advance(RefreshInterval);
        var answered = await _manager.GetConfigurationAsync(timeout.Token);
        await _issuer.WaitForKeySetReadsAsync(2, timeout.Token);
        var refreshed = await Polling(() => _manager.Current, current => current != held);

        Assert.Same(held, answered);
        Assert.Contains(refreshed!.SigningKeys, key => key.KeyId == "key-2");
    }

    private static async Task<T> Polling<T>(Func<T> read, Func<T, bool> done)
    {
        // A limit of its own: a regression fails this test instead of hanging the run.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!done(read()))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }

        return read();
    }

    private Task<TokenValidationResult> ValidateAsync(string token) => _handler.ValidateTokenAsync(token, new TokenValidationParameters
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidTypes = ["at+jwt"],
        ConfigurationManager = _manager,
    });

    // IdentityModel checks lifetimes against the real clock, whatever the fake one says.
    private static string Mint(string keyId, RSA key) =>
        TokenForge.Mint(new RsaSecurityKey(key) { KeyId = keyId }, Issuer, "alice", [Audience], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15));

    /// <summary>The issuer's discovery document and JWKS, as its endpoints would serve them.</summary>
    private sealed class IssuerDocuments : IDocumentRetriever
    {
        public const string MetadataAddress = "https://identity.test/.well-known/openid-configuration";
        private const string KeySetAddress = "https://identity.test/.well-known/jwks";

        private readonly Lock _lock = new();
        private string? _keySet;
        private string? _broken;
        private int _keySetReads;
        private TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int KeySetReads => Volatile.Read(ref _keySetReads);

        public void Publish(params (string KeyId, RSA Key)[] keys)
        {
            _broken = null;
            _keySet = JsonSerializer.Serialize(new
            {
                keys = keys.Select(key => key.Key.ExportParameters(includePrivateParameters: false) is var parameters
                    ? new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) }
                    : null),
            });
        }

        public void Break(string how) => _broken = how;

        public async Task WaitForKeySetReadsAsync(int reads, CancellationToken cancellationToken)
        {
            while (KeySetReads < reads)
            {
                Task read;
                lock (_lock)
                {
                    read = _read.Task;
                }

                if (KeySetReads < reads)
                {
                    await read.WaitAsync(cancellationToken);
                }
            }
        }

        public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            if (address == MetadataAddress)
            {
                return Task.FromResult(JsonSerializer.Serialize(new { issuer = Issuer, jwks_uri = KeySetAddress }));
            }

            Interlocked.Increment(ref _keySetReads);
            lock (_lock)
            {
                _read.TrySetResult();
                _read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _broken switch
            {
                "unreachable" => Task.FromException<string>(new HttpRequestException("Connection refused")),
                "empty" => Task.FromResult("""{"keys":[]}"""),
                "malformed" => Task.FromResult("""{"keys":[{"kty":"RSA","kid":"""),
                _ => Task.FromResult(_keySet!),
            };
        }
    }
}
