using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Benchmarks.Baseline;

/// <summary>
/// The framework floor (chain f): the baseline pair with what any token-checking service of
/// ASP.NET Core pays before it verifies anything. Each hop runs the authentication and
/// authorization middleware with a scheme that accepts any <c>Authorization: Bearer</c> header
/// unverified, each endpoint requires an authenticated caller, and UserService sends the header
/// on. Whatever the real services cost above this chain is the product's own work. Set with
/// <c>Baseline:UnverifiedBearer=true</c>; never outside the harness, on loopback.
/// </summary>
internal static class UnverifiedBearer
{
    private const string SchemeName = "UnverifiedBearer";

    public static bool IsOn(IConfiguration configuration) => configuration.GetValue<bool>("Baseline:UnverifiedBearer");

    public static void AddUnverifiedBearer(this WebApplicationBuilder builder)
    {
        if (!IsOn(builder.Configuration))
        {
            return;
        }

        builder.Services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, Handler>(SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardingHandler>();
    }

    /// <summary>Sends the caller's bearer header on with each call of <paramref name="client"/>, when the floor is on.</summary>
    public static IHttpClientBuilder ForwardsUnverifiedBearer(this IHttpClientBuilder client, IConfiguration configuration) =>
        IsOn(configuration) ? client.AddHttpMessageHandler<ForwardingHandler>() : client;

    /// <summary>The middleware and the endpoints' requirement, when the floor is on.</summary>
    public static void RequireUnverifiedBearer(this WebApplication app, RouteGroupBuilder endpoints)
    {
        if (IsOn(app.Configuration))
        {
            app.UseAuthentication();
            app.UseAuthorization();
            endpoints.RequireAuthorization();
        }
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var caller = new ClaimsIdentity([new Claim("sub", Request.Headers[CallerHeader.Name].ToString())], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(caller), SchemeName)));
        }
    }

    private sealed class ForwardingHandler(IHttpContextAccessor accessor) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", accessor.HttpContext?.Request.Headers.Authorization.ToString());
            return base.SendAsync(request, cancellationToken);
        }
    }
}
