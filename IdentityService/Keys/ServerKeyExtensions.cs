using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace IdentityService.Keys;

internal static partial class ServerKeyExtensions
{
    /// <summary>
    /// The server's keys, kept in the store: signing keys rotated on a schedule
    /// (<c>IdentityServer:SigningKeys</c>) and on demand, OpenIddict signing with the active one and
    /// publishing those whose access tokens may still be presented; and the encryption key.
    /// </summary>
    public static IServiceCollection AddServerKeys(this IServiceCollection services)
    {
        services.AddSingleton<ServerEncryptionKey>();
        services.AddScoped<SigningKeyStore>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<SigningKeyRotation>();
        services.AddHostedService<SigningKeyRotationService>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>, SigningKeyRing.ServerOptionsChangeTokenSource>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>, SigningKeyRing.ValidationOptionsChangeTokenSource>();
        services.AddOpenIddict().AddServer(server => server.AddEventHandler(PublishOnlyKeysInUse.Descriptor));
        return services;
    }

    /// <summary>Reads the server's keys (a fresh store gets its first ones) before the first token is issued.</summary>
    public static async Task LoadServerKeysAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.Services.GetRequiredService<ServerEncryptionKey>().LoadAsync(cancellationToken);
        await app.Services.GetRequiredService<SigningKeyRotation>().RefreshAsync(cancellationToken);
    }

    /// <summary>
    /// GET /admin/signing-keys: the keys and what each does. POST /admin/signing-keys/rotate: publishes
    /// a new key now, signing after the publish lead (202), or 409 if a rotation is under way.
    /// POST /admin/signing-keys/{kid}/retire: retires a key at once, as if it had leaked
    /// (<see cref="SigningKeyRotation.RetireAsync"/>): 200 with the key that signs now, 404 for a key
    /// not held, 409 for one already retired. A key always signs afterwards: retiring the active one
    /// activates the next, or a new one.
    /// </summary>
    public static RouteGroupBuilder MapSigningKeys(this RouteGroupBuilder admin)
    {
        admin.MapGet("signing-keys", (SigningKeyRing ring) => SigningKeysResponse.From(ring.Schedule!));

        admin.MapPost("signing-keys/rotate", async (SigningKeyRotation rotation, SigningKeyRing ring, CancellationToken cancellationToken) =>
            await rotation.RotateAsync(cancellationToken) is { } created
                ? Results.Accepted("/admin/signing-keys", new RotationResponse(created.Id, created.ActivatesAt))
                : Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "A rotation is already under way.",
                    detail: $"Signing key {ring.Schedule?.Next?.Id} signs from {ring.Schedule?.Next?.ActivatesAt:O}; rotate again after that."));

        admin.MapPost("signing-keys/{kid}/retire", RetireAsync);

        return admin;
    }

    private static async Task<IResult> RetireAsync(
        string kid, HttpContext context, SigningKeyRotation rotation, SigningKeyRing ring, ILogger<SigningKeyRotation> logger)
    {
        // Not the request's token: a caller going away must not leave a leaked key half retired.
        var retirement = await rotation.RetireAsync(kid, CancellationToken.None);
        switch (retirement.Outcome)
        {
            case RetirementOutcome.NotHeld:
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "No such signing key.",
                    detail: "The issuer holds no signing key with this kid: it was never one of its keys, or it has expired and been deleted.");
            case RetirementOutcome.AlreadyRetired:
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The signing key is already retired.",
                    detail: $"Signing key {kid} was retired at {retirement.RetiredAt:O}.");
            default:
                LogRetiredOnDemand(logger, kid, context.User.GetClaim(OpenIddictConstants.Claims.Subject));
                return Results.Ok(new RetirementResponse(kid, retirement.RetiredAt!.Value, ring.Schedule!.Active.Id));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key {KeyId} retired on demand; requested by {Administrator}")]
    private static partial void LogRetiredOnDemand(ILogger logger, string keyId, string? administrator);
}

/// <summary>The signing keys, newest first (JSON: activeKeyId, keys: [{ keyId, status, activatesAt, retiresAt, publishedUntil }]).</summary>
internal sealed record SigningKeysResponse(string ActiveKeyId, IReadOnlyList<SigningKeyResponse> Keys)
{
    public static SigningKeysResponse From(SigningKeySchedule schedule) => new(
        schedule.Active.Id,
        [
            .. schedule.Held.Concat(schedule.Withdrawn).OrderByDescending(key => key.ActivatesAt).Select(key => new SigningKeyResponse(
                key.Id,
                key.RetiredAt is not null ? "retired"
                    : key.ActivatesAt > schedule.Active.ActivatesAt ? "next"
                    : key == schedule.Active ? "active"
                    : "retiring",
                key.ActivatesAt,
                key.RetiresAt,
                key.PublishedUntil)),
        ]);
}

/// <summary>The key a rotation published (JSON: keyId, signsFrom).</summary>
internal sealed record RotationResponse(string KeyId, DateTime SignsFrom);

/// <summary>
/// One key: <c>next</c> (published, signs from activatesAt), <c>active</c>, <c>retiring</c> (published
/// until publishedUntil, verifies the issuer's own tokens until retiresAt), or <c>retired</c> by an
/// admin at retiresAt (used for nothing; its tokens are refused everywhere).
/// </summary>
internal sealed record SigningKeyResponse(string KeyId, string Status, DateTime ActivatesAt, DateTime? RetiresAt, DateTime? PublishedUntil);

/// <summary>A key retired on demand (JSON: keyId, retiredAt, activeKeyId: the key that signs now).</summary>
internal sealed record RetirementResponse(string KeyId, DateTime RetiredAt, string ActiveKeyId);
