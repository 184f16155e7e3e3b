using Microsoft.Extensions.Options;

namespace IdentityService.Settings;

internal static class SettingsExtensions
{
    public static IHostApplicationBuilder AddIdentityServerSettings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityServerOptions>()
            .BindConfiguration(IdentityServerOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IdentityServerOptions>, IdentityServerOptionsValidator>();
        builder.Services.AddSingleton<DataDirectory>();

        return builder;
    }
}
