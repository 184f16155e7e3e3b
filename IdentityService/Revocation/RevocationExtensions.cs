using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace IdentityService.Revocation;

internal static class RevocationExtensions
{
    /// <summary>
    /// Revocation beyond a single stored token: tokens exchanged from a revoked one, whole grants and
    /// subjects, and the feed resource servers read to refuse revoked tokens that still validate.
    /// </summary>
    public static IHostApplicationBuilder AddRevocation(this IHostApplicationBuilder builder)
    {
        // OpenIddict takes its clock from here too, so revocation instants and iat agree.
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddScoped<SubjectRevocations>();
        builder.Services.AddScoped<TokenRevoker>();
        builder.Services.AddScoped<RevocationFeedLog>();
        builder.Services.AddSingleton<RevocationFeedSnapshot>();

        // Every service polls the feed every second: those requests would bury the user's calls in the traces.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
        {
            var traced = options.Filter;
            options.Filter = context =>
                !context.Request.Path.StartsWithSegments(RevocationFeedEndpoint.Path) && (traced?.Invoke(context) ?? true);
        });

        builder.Services.AddOpenIddict().AddServer(server => server
            .AddEventHandler(UseTokenEntryIdAsJti.Descriptor)
            .AddEventHandler(RecordTokenExchange.Descriptor)
            .AddEventHandler(RevokeDependentTokens.Descriptor));

        return builder;
    }
}
