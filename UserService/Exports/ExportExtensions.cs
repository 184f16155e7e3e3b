using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UserService.Exports;

public static class ExportExtensions
{
    /// <summary>The export queue and the background worker that drains it.</summary>
    public static IHostApplicationBuilder AddExports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExportOptions>()
            .BindConfiguration(ExportOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ExportQueue>();
        builder.Services.AddHostedService<ExportWorker>();

        return builder;
    }
}
