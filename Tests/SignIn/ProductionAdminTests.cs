using System.Net;

namespace Tests.SignIn;

/// <summary>
/// Outside Development (<see cref="ProductionIssuerApp"/>): an admin is made with the issuer's
/// documented command against its store, signs in with the authorization code flow and PKCE through
/// the public client <c>admin-tools</c>, and uses the admin API; a user without the role gets
/// invalid_scope, and a role withdrawn ends the admin's grant at its next refresh.
/// </summary>
public sealed class ProductionAdminTests(ProductionIssuerApp app) : IClassFixture<ProductionIssuerApp>
{
    private const string AdminClient = "admin-tools";
    private const string RedirectUri = "http://127.0.0.1:8766/callback";
    private const string Password = "Ops-Pass-2026!";

    [Fact]
    public async Task An_admin_made_with_the_command_signs_in_uses_the_admin_API_and_loses_it_when_the_role_is_withdrawn()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await RunAsync(["create-user", "operator"], Password, cancellationToken);
        await RunAsync(["grant-role", "operator", "identity.admin"], null, cancellationToken);
        using var person = new FormSignIn(app, behindHttpsIngress: true);

        var (code, error, verifier) = await person.AuthorizeAsync(AdminClient, RedirectUri, "identity.admin offline_access", "operator", Password, cancellationToken);
        Assert.Null(error);
        var tokens = await person.RedeemAsync(AdminClient, RedirectUri, code!, verifier, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        using var keys = await person.GetWithTokenAsync("/admin/signing-keys", tokens.AccessToken!, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);

        await RunAsync(["revoke-role", "operator", "identity.admin"], null, cancellationToken);
        var refreshed = await person.RefreshAsync(AdminClient, tokens.RefreshToken!, cancellationToken);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", null), (refreshed.Status, refreshed.Error, refreshed.AccessToken));
    }

    [Theory]
    [InlineData("identity.admin")]
    [InlineData("profiles.read profiles.admin")]
    public async Task A_user_without_the_role_is_sent_back_invalid_scope(string scopes)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var user = $"plain-{Guid.NewGuid():N}";
        await RunAsync(["create-user", user], Password, cancellationToken);
        using var person = new FormSignIn(app, behindHttpsIngress: true);

        var (code, error, _) = await person.AuthorizeAsync(AdminClient, RedirectUri, scopes, user, Password, cancellationToken);

        Assert.Equal((null, "invalid_scope"), (code, error));
    }

    [Fact]
    public async Task Granting_a_role_to_a_user_who_does_not_exist_or_a_role_that_is_not_one_fails_saying_why()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        var missingUser = await app.RunAdminCommandAsync(["grant-role", "nobody", "identity.admin"], null, cancellationToken);
        var notARole = await app.RunAdminCommandAsync(["grant-role", "nobody", "root"], null, cancellationToken);

        Assert.Equal(1, missingUser.ExitCode);
        Assert.Contains("create it first with create-user", missingUser.Output, StringComparison.Ordinal);
        Assert.Equal(1, notARole.ExitCode);
        Assert.Contains("'root' is not a role", notARole.Output, StringComparison.Ordinal);
    }

    private async Task RunAsync(string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await app.RunAdminCommandAsync(arguments, input, cancellationToken);
        Assert.True(exitCode == 0, $"{string.Join(' ', arguments)} failed:\n{output}");
    }
}
