using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opens an <see cref="AccessTokenContext"/> scope around each request, before any other
/// middleware, so the token validated later in the pipeline is visible to all the request's code
/// and is cleared when the request ends.
/// </summary>
internal sealed class AccessTokenContextStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            using var requestScope = AccessTokenContext.BeginRequest();
            await nextMiddleware(context);
        });

        next(app);
    };
}
