using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityService.Keys;

/// <summary>
/// Takes out of the key set (JWKS) the keys that only verify the issuer's own tokens now: a retiring
/// key is published while an access or identity token it signed may still be presented elsewhere
/// (<see cref="SigningKeyState.PublishedUntil"/>), not for as long as its refresh tokens live.
/// OpenIddict publishes every key of its signing credentials, which it also verifies its tokens with.
/// </summary>
internal sealed class PublishOnlyKeysInUse(SigningKeyRing ring, TimeProvider timeProvider) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<PublishOnlyKeysInUse>()
            // Once OpenIddict has listed the keys of its signing credentials.
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        if (ring.Schedule is { } schedule)
        {
            var unpublished = schedule.UnpublishedAt(timeProvider.GetUtcNow().UtcDateTime).Select(key => key.Id).ToHashSet(StringComparer.Ordinal);
            context.Keys.RemoveAll(key => key.Kid is { } kid && unpublished.Contains(kid));
        }

        return ValueTask.CompletedTask;
    }
}
