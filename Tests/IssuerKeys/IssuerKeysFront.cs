using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tests.TokenPropagation;

namespace Tests.IssuerKeys;

/// <summary>
/// Stands between the services and the real issuer: each service reads the issuer's metadata and
/// keys at <c>/{service}/.well-known/...</c> here, and gets the issuer's own documents (the key set's
/// address rewritten to this front) or, once a test switches <see cref="Answer"/>, a bad answer.
/// It counts the reads it answered, by service and answer, so a test waits until a service has
/// actually met a bad answer instead of guessing how long that takes.
/// </summary>
public sealed class IssuerKeysFront : IAsyncDisposable
{
    private const string MetadataPath = "/.well-known/openid-configuration";
    private const string KeySetPath = "/.well-known/jwks";

    private readonly Func<Uri> _issuer;
    private readonly HttpClient _toIssuer = new();
    private readonly ConcurrentDictionary<(string Service, IssuerKeysAnswer Answer), int> _reads = new();
    private TestListener? _listener;
    private volatile IssuerKeysAnswer _answer;

    private IssuerKeysFront(Func<Uri> issuer) => _issuer = issuer;

    /// <summary>What the front answers from now on; <see cref="IssuerKeysAnswer.Good"/> at first.</summary>
    public IssuerKeysAnswer Answer
    {
        get => _answer;
        set => _answer = value;
    }

    /// <summary>
    /// Starts the front on a random port of 127.0.0.1. <paramref name="issuer"/> is asked on each
    /// read: the issuer's address is only known once the app runs, after this front has started.
    /// </summary>
    public static async Task<IssuerKeysFront> StartAsync(Func<Uri> issuer)
    {
        var front = new IssuerKeysFront(issuer);
        front._listener = await TestListener.StartAsync("127.0.0.1", front.RespondAsync);
        return front;
    }

    /// <summary>The authority <paramref name="service"/> is given: its metadata is read at this address plus <c>/.well-known/openid-configuration</c>.</summary>
    public Uri AuthorityFor(string service) => new(Address, service);

    private Uri Address => _listener?.Address ?? throw new InvalidOperationException("The front has not started.");

    /// <summary>
    /// How many reads of <paramref name="service"/> ended with <paramref name="answer"/>: requests for
    /// the key set, or, when unreachable, for the metadata (the key set is then never asked for).
    /// A read retried after a failed request counts each try.
    /// </summary>
    public int ReadsAnswered(string service, IssuerKeysAnswer answer) => _reads.GetValueOrDefault((service, answer));

    private async Task RespondAsync(HttpContext context)
    {
        var answer = _answer;
        var path = context.Request.Path.Value ?? "";
        var service = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var isKeySet = path.EndsWith(KeySetPath, StringComparison.Ordinal);
        if (!isKeySet && !path.EndsWith(MetadataPath, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (isKeySet || answer == IssuerKeysAnswer.Unreachable)
        {
            _reads.AddOrUpdate((service, answer), 1, (_, count) => count + 1);
        }

        switch (answer)
        {
            case IssuerKeysAnswer.Unreachable:
                context.Abort();
                break;
            case IssuerKeysAnswer.KeySetServerError when isKeySet:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
            case IssuerKeysAnswer.EmptyKeySet when isKeySet:
                await WriteJsonAsync(context, """{"keys":[]}""");
                break;
            case IssuerKeysAnswer.MalformedKeySet when isKeySet:
                await WriteJsonAsync(context, """{"keys":[{"kty":"RSA","use":"sig","kid":""");
                break;
            default:
                await WriteJsonAsync(context, isKeySet ? await IssuerKeySetAsync(context.RequestAborted) : await MetadataFor(service, context.RequestAborted));
                break;
        }
    }

    /// <summary>The issuer's metadata, with the key set's address on this front.</summary>
    private async Task<string> MetadataFor(string service, CancellationToken cancellationToken)
    {
        var metadata = await IssuerMetadataAsync(cancellationToken);
        metadata["jwks_uri"] = new Uri(Address, $"{service}{KeySetPath}").ToString();
        return metadata.ToJsonString();
    }

    private async Task<string> IssuerKeySetAsync(CancellationToken cancellationToken)
    {
        var keySet = (await IssuerMetadataAsync(cancellationToken))["jwks_uri"]!.GetValue<string>();
        return await _toIssuer.GetStringAsync(new Uri(keySet), cancellationToken);
    }

    private async Task<JsonObject> IssuerMetadataAsync(CancellationToken cancellationToken) =>
        JsonNode.Parse(await _toIssuer.GetStringAsync(new Uri(_issuer(), MetadataPath), cancellationToken))!.AsObject();

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        _toIssuer.Dispose();
    }
}
