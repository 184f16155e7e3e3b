using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace IdentityService.Keys;

internal static class ServerKeyExtensions
{
    /// <summary>
    /// The server's keys, kept in the store: signing keys rotated on a schedule
    /// (<c>IdentityServer:SigningKeys</c>) and on demand, OpenIddict signing with the active one and
    /// publishing them all; and the encryption key.
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

        return admin;
    }
}

/// <summary>The signing keys, newest first (JSON: activeKeyId, keys: [{ keyId, status, activatesAt, retiresAt }]).</summary>
internal sealed record SigningKeysResponse(string ActiveKeyId, IReadOnlyList<SigningKeyResponse> Keys)
{
    public static SigningKeysResponse From(SigningKeySchedule schedule) => new(
        schedule.Active.Id,
        [
            .. schedule.Published.OrderByDescending(key => key.ActivatesAt).Select(key => new SigningKeyResponse(
                key.Id,
                key.ActivatesAt > schedule.Active.ActivatesAt ? "next" : key == schedule.Active ? "active" : "retiring",
                key.ActivatesAt,
                key.RetiresAt)),
        ]);
}

/// <summary>The key a rotation published (JSON: keyId, signsFrom).</summary>
internal sealed record RotationResponse(string KeyId, DateTime SignsFrom);

/// <summary>One key: <c>next</c> (published, signs from activatesAt), <c>active</c>, or <c>retiring</c> (verifies until retiresAt).</summary>
internal sealed record SigningKeyResponse(string KeyId, string Status, DateTime ActivatesAt, DateTime? RetiresAt);
