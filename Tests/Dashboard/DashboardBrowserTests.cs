using Microsoft.Playwright;
using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>What a person sees in the dashboard: alice's call to UserService as one trace across the services.</summary>
public sealed class DashboardBrowserTests(DistributedAppFixture app)
{
    private const string ScreenshotName = "dashboard-trace.png";
    private static readonly string[] ServicesOfTheCall = ["userservice", "identity", "profileservice"];
    private static readonly float PageTimeout = (float)TimeSpan.FromSeconds(30).TotalMilliseconds;

    [Fact]
    public async Task The_trace_page_shows_the_call_across_userservice_identity_and_profileservice()
    {
        Chromium.SkipUnlessInstalled();
        var cancellationToken = TestContext.Current.CancellationToken;
        var dashboard = await DashboardAccess.ForAsync(app.App, cancellationToken);
        using var telemetry = new DashboardTelemetry(dashboard);

        // A token of its own: UserService exchanges a token once and then reuses the exchanged
        // one, so only a token no other test has used puts the exchange at identity in this trace.
        using var client = app.CreateClient("userservice", await app.GetFreshTokenAsync("alice", "users.read profiles.read", cancellationToken));
        var traceId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        // Each service's last span to end, so the page has the whole call once it opens.
        await telemetry.WaitForTraceAsync(
            traceId,
            trace => trace.Has("userservice", "GET /users/me")
                && trace.Has("identity", "POST connect/token")
                && trace.Has("profileservice", "GET /profiles/me"),
            cancellationToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        page.SetDefaultTimeout(PageTimeout);

        // The login URL sets the dashboard's auth cookie; the trace page then opens signed in.
        await page.GotoAsync(dashboard.LoginUrl.ToString());
        await page.GotoAsync(dashboard.TraceDetailUrl(traceId).ToString());
        try
        {
            foreach (var service in ServicesOfTheCall)
            {
                await Assertions.Expect(ResourceCell(page, service).First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = PageTimeout });
            }

            // ProfileService's span opens its details: the token attributes, the actor chain among them.
            await page.GetByText("GET /profiles/me", new PageGetByTextOptions { Exact = true }).First.ClickAsync();
            await Assertions.Expect(page.GetByText("token.actor_chain").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = PageTimeout });
        }
        finally
        {
            // Also when a span is missing: the screenshot shows what the page showed instead.
            await AttachScreenshotAsync(page);
        }

        Assert.Equal(dashboard.TraceDetailUrl(traceId).ToString(), page.Url);
        Assert.Contains("GET /users/me", await page.TitleAsync(), StringComparison.Ordinal);

        // The token metrics reach the dashboard's metrics view too.
        await page.GotoAsync(new Uri(dashboard.BaseAddress, "/metrics/resource/userservice").ToString());
        await Assertions.Expect(page.GetByText("token.outgoing_requests").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = PageTimeout });
    }

    // The waterfall's Resource column: one cell per span, labelled with the resource's name.
    private static ILocator ResourceCell(IPage page, string service) =>
        page.GetByRole(AriaRole.Gridcell, new PageGetByRoleOptions { Name = service, Exact = true });

    // A test attachment: the test platform writes it under its results directory
    // (TestResults/<run>/dashboard-trace.png) and prints its path at the end of the run.
    private static async Task AttachScreenshotAsync(IPage page)
    {
        var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        TestContext.Current.AddAttachment(ScreenshotName, screenshot, "image/png");
    }
}
