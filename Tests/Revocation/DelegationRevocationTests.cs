using System.Diagnostics;
using System.Net;
using Tests.Exports;
using Tests.Integration;
using Tests.TokenExchange;

namespace Tests.Revocation;

/// <summary>
/// A delegation ends when its user is revoked or when UserService withdraws it (RFC 7009): it gives
/// no more tokens, and ProfileService refuses the tokens it gave within 5 s.
/// </summary>
/// <remarks>
/// Revoking a user refuses every token of theirs issued until then, those other tests hold too: so
/// on an app of its own, shared only with <see cref="DelegatedExportTests"/>, whose users are others.
/// </remarks>
[Collection(typeof(DelegatedExport))]
public sealed class DelegationRevocationTests(DelegatedExportApp app)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Revoking_the_user_ends_the_delegation_and_the_tokens_it_gave()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var delegation = await Delegations.CreateAsync(app, "user136", "job-revoked", cancellationToken);
        var given = await Delegations.UseAsync(app, delegation, cancellationToken);

        var admin = await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken);
        await AssertEndedAsync(delegation, given, async () =>
        {
            using var identity = app.CreateClient("identity", admin);
            using var revoke = await identity.PostAsync(new Uri("/admin/subjects/user136/revoke", UriKind.Relative), content: null, cancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }, cancellationToken);
    }

    [Fact]
    public async Task Withdrawing_the_delegation_ends_it_and_the_tokens_it_gave()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var delegation = await Delegations.CreateAsync(app, "user137", "job-withdrawn", cancellationToken);
        var given = await Delegations.UseAsync(app, delegation, cancellationToken);

        await AssertEndedAsync(delegation, given, async () =>
        {
            using var withdraw = await Delegations.RequestAsync(
                app,
                new() { ["token"] = delegation, ["token_type_hint"] = "refresh_token" },
                asUserService: true,
                cancellationToken,
                path: "/connect/revoke");
            Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        }, cancellationToken);
    }

    private async Task AssertEndedAsync(string delegation, string given, Func<Task> end, CancellationToken cancellationToken)
    {
        using var profileService = app.CreateClient("profileservice", given);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(profileService, cancellationToken));

        await end();
        var stopwatch = Stopwatch.StartNew();

        using var used = await Delegations.RequestAsync(app, Delegations.UseForm(delegation), asUserService: true, cancellationToken);
        Assert.Equal("invalid_grant", await Delegations.ErrorOfAsync(used, cancellationToken));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound * 3);
        await Polling.UntilAsync(token => StatusAsync(profileService, token), status => status == HttpStatusCode.Unauthorized, timeout.Token);
        Assert.True(stopwatch.Elapsed <= Bound, $"A token the delegation gave was still accepted {stopwatch.Elapsed.TotalSeconds:0.0} s after it ended.");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient profileService, CancellationToken cancellationToken)
    {
        using var response = await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        return response.StatusCode;
    }
}
