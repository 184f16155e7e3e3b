using Microsoft.Playwright;

namespace Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright's own browser builds are downloaded from a
/// CDN these machines cannot reach, so it is pointed at the system's browser instead.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Skips the calling test where the browser is not installed.</summary>
    public static void SkipUnlessInstalled() =>
        Assert.SkipUnless(File.Exists(ExecutablePath), $"No browser at {ExecutablePath}; install it with: apt-get install chromium");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true, // Playwright passes --headless
            // No sandbox: tests run as root, where Chromium's sandbox refuses to start. The rest
            // keeps a headless run off the network and free of first-run and background work.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
}
