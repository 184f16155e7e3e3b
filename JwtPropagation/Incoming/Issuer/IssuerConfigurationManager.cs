using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenTelemetry;

namespace JwtPropagation.Incoming;

/// <summary>
/// Holds the issuer's metadata and signing keys for JwtBearer, in place of IdentityModel's
/// ConfigurationManager (which still fetches and parses them), for what that one does not do:
/// <list type="bullet">
/// <item>a token signed by a key not held yet (the issuer rotated its keys) waits for one fresh read
/// of the keys and is validated again (<see cref="RefreshForUnknownKeyAsync"/>), instead of being
/// refused until a background read lands; such reads are at most one per
/// <see cref="JwtValidationOptions.UnknownKeyRefreshInterval"/>, so made-up <c>kid</c>s cannot make
/// the service hammer the issuer;</item>
/// <item>a read that fails, or finds no keys, keeps the keys held;</item>
/// <item>a key the issuer retired is dropped at the next read: there is no "last known good" set to
/// fall back on.</item>
/// </list>
/// The keys are read again every <see cref="JwtValidationOptions.IssuerKeysRefreshInterval"/>, in
/// the background (a failed read after the unknown-key interval); only the very first read is waited for.
/// </summary>
internal sealed partial class IssuerConfigurationManager : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly IDocumentRetriever _documents;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _unknownKeyRefreshInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    private volatile Held? _held;
    private long _refreshDueAtTicks;
    private DateTimeOffset _unknownKeyRefreshAllowedAt;
    private Task<OpenIdConnectConfiguration?> _scheduledRead = Task.FromResult<OpenIdConnectConfiguration?>(null);
    private Task<OpenIdConnectConfiguration?> _unknownKeyRead = Task.FromResult<OpenIdConnectConfiguration?>(null);

    public IssuerConfigurationManager(
        string metadataAddress,
        IDocumentRetriever documents,
        TimeSpan refreshInterval,
        TimeSpan unknownKeyRefreshInterval,
        TimeProvider timeProvider,
        ILogger<IssuerConfigurationManager> logger)
    {
        MetadataAddress = metadataAddress;
        UseLastKnownGoodConfiguration = false;
        _documents = documents;
        _refreshInterval = refreshInterval;
        _unknownKeyRefreshInterval = unknownKeyRefreshInterval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The issuer found at <see cref="JwtValidationOptions.Authority"/>, read through the backchannel client.</summary>
    public static IssuerConfigurationManager Create(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<JwtValidationOptions>>().Value;
        var backchannel = services.GetRequiredService<IHttpClientFactory>().CreateClient(JwtBearerAuthenticationExtensions.BackchannelClientName);

        // The authority itself was checked at start (IssuerTransport). Where it is https, every
        // address its metadata names (the keys) must be https too; a service discovery name
        // (https+http://identity) or a loopback address is not one the retriever can judge.
        var requireHttps = IssuerTransport.RequiresHttps(services.GetRequiredService<IHostEnvironment>(), settings)
            && settings.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        return new IssuerConfigurationManager(
            $"{settings.Authority.TrimEnd('/')}/.well-known/openid-configuration",
            new HttpDocumentRetriever(backchannel) { RequireHttps = requireHttps },
            settings.IssuerKeysRefreshInterval,
            settings.UnknownKeyRefreshInterval,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<IssuerConfigurationManager>>());
    }

    /// <summary>The keys held, or null before the first read succeeded.</summary>
    public OpenIdConnectConfiguration? Current => _held?.Configuration;

    public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) =>
        HeldStartingADueRead() is { } held ? held.AsTask : FirstReadAsync(cancel);

    public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        HeldStartingADueRead() is { } held ? held.AsBaseTask : FirstReadAsBaseAsync(cancel);

    /// <summary>
    /// On every request: the keys held, with no lock and no allocation. Once they are due to be read
    /// again, the first caller starts the read in the background; everyone goes on with the keys held.
    /// </summary>
    private Held? HeldStartingADueRead()
    {
        var held = _held;
        var due = Volatile.Read(ref _refreshDueAtTicks);
        if (held is not null && _timeProvider.GetUtcNow().UtcTicks >= due
            && Interlocked.CompareExchange(ref _refreshDueAtTicks, long.MaxValue, due) == due)
        {
            // Until the read ends (it sets the next due time, failed or not), nobody else starts one.
            lock (_lock)
            {
                if (_scheduledRead.IsCompleted)
                {
                    _scheduledRead = ReadAsync();
                }
            }
        }

        return held;
    }

    /// <summary>Nothing held yet: every caller waits for the same first read.</summary>
    private async Task<OpenIdConnectConfiguration> FirstReadAsync(CancellationToken cancel)
    {
        Task<OpenIdConnectConfiguration?> read;
        lock (_lock)
        {
            if (_scheduledRead.IsCompleted)
            {
                _scheduledRead = ReadAsync();
            }

            read = _scheduledRead;
        }

        return await read.WaitAsync(cancel) ?? throw new InvalidOperationException(
            $"The issuer's metadata and signing keys could not be read from {MetadataAddress}.");
    }

    private async Task<BaseConfiguration> FirstReadAsBaseAsync(CancellationToken cancel) => await FirstReadAsync(cancel);

    /// <summary>
    /// Reads the keys again, unless a read for an unknown key started less than the interval ago
    /// (then it joins that read if it is still running), and returns the keys held afterwards.
    /// </summary>
    public async Task<OpenIdConnectConfiguration?> RefreshForUnknownKeyAsync()
    {
        Task<OpenIdConnectConfiguration?> read;
        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            if (_unknownKeyRead.IsCompleted && now >= _unknownKeyRefreshAllowedAt)
            {
                _unknownKeyRefreshAllowedAt = now + _unknownKeyRefreshInterval;
                _unknownKeyRead = ReadAsync();
            }

            read = _unknownKeyRead;
        }

        await read;
        return Current;
    }

    /// <summary>IdentityModel and JwtBearer ask for this when a signature does not match: the same rate-limited read, not waited for.</summary>
    public override void RequestRefresh() => _ = RefreshForUnknownKeyAsync();

    // Task.Run: never completes inline, so it can be started under the lock.
    private Task<OpenIdConnectConfiguration?> ReadAsync() => Task.Run(async () =>
    {
        // A read every few minutes is not the user's business: it makes no trace.
        using var untraced = SuppressInstrumentationScope.Begin();
        var startedAt = _timeProvider.GetUtcNow();
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout, _timeProvider);
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(MetadataAddress, _documents, timeout.Token);
            if (configuration.SigningKeys.Count > 0)
            {
                Hold(configuration, startedAt);
                return Current;
            }

            LogNoKeys(MetadataAddress);
        }
        catch (Exception exception)
        {
            LogReadFailed(exception, MetadataAddress);
        }

        lock (_lock)
        {
            // With keys held, a failed or empty read is tried again later, not on the next request.
            Volatile.Write(ref _refreshDueAtTicks, (startedAt + _unknownKeyRefreshInterval).UtcTicks);
        }

        return Current;
    });

    private void Hold(OpenIdConnectConfiguration configuration, DateTimeOffset startedAt)
    {
        lock (_lock)
        {
            Volatile.Write(ref _refreshDueAtTicks, (startedAt + _refreshInterval).UtcTicks);

            // Two reads may overlap: the one that started later knows better.
            if (_held is { } held && (held.StartedAt > startedAt || SameKeys(held.Configuration, configuration)))
            {
                return;
            }

            // A new instance only when something changed: the verified-token cache keys its verdicts to it.
            _held = new Held(configuration, startedAt);
        }
    }

    private static bool SameKeys(OpenIdConnectConfiguration held, OpenIdConnectConfiguration read) =>
        held.Issuer == read.Issuer && KeysOf(held).SequenceEqual(KeysOf(read));

    private static IEnumerable<string> KeysOf(OpenIdConnectConfiguration configuration) =>
        (configuration.JsonWebKeySet?.Keys ?? []).Select(key => $"{key.Kid}|{key.Kty}|{key.N}|{key.E}|{key.Crv}|{key.X}|{key.Y}").Order(StringComparer.Ordinal);

    /// <summary>Keys held, with the tasks that hand them out made once.</summary>
    private sealed class Held(OpenIdConnectConfiguration configuration, DateTimeOffset startedAt)
    {
        public OpenIdConnectConfiguration Configuration { get; } = configuration;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Task<OpenIdConnectConfiguration> AsTask { get; } = Task.FromResult(configuration);

        public Task<BaseConfiguration> AsBaseTask { get; } = Task.FromResult<BaseConfiguration>(configuration);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The issuer's metadata at {MetadataAddress} lists no signing keys; the keys held are kept")]
    private partial void LogNoKeys(string metadataAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the issuer's metadata and keys from {MetadataAddress} failed; the keys held are kept")]
    private partial void LogReadFailed(Exception exception, string metadataAddress);
}
