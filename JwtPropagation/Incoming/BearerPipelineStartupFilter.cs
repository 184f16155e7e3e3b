using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace JwtPropagation.Incoming;

/// <summary>
/// Puts what every bearer-token request needs in front of the app's own middleware, so no app can
/// order it wrongly: an <see cref="CallerTokenContext"/> scope (filled once the token is validated,
/// cleared when the request ends), then the <see cref="BearerRequestGuard"/>.
/// </summary>
internal sealed class BearerPipelineStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            using var requestScope = CallerTokenContext.BeginRequest();
            await nextMiddleware(context);
        });
        app.UseMiddleware<BearerRequestGuard>();

        next(app);
    };
}
