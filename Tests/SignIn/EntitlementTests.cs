using System.Net;
using Tests.Integration;

namespace Tests.SignIn;

/// <summary>
/// The admin scopes are granted only to a user holding the role of the same name: in Development
/// the seeded <c>admin</c>, never alice or any other seeded user, whichever way they ask.
/// </summary>
public sealed class EntitlementTests(DistributedAppFixture app)
{
    private const string AdminClient = "admin-tools";
    private const string AdminRedirectUri = "http://127.0.0.1:8766/callback";

    [Theory]
    [InlineData("identity.admin")]
    [InlineData("profiles.admin")]
    [InlineData("profiles.read profiles.admin")]
    public async Task A_user_without_the_role_is_refused_an_admin_scope_by_the_password_grant_with_invalid_scope(string scopes)
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        using var issuer = new FormSignIn(app);

        var refused = await issuer.PasswordGrantAsync("alice", DistributedAppFixture.Password, scopes, cancellationToken);
        var granted = await issuer.PasswordGrantAsync(DistributedAppFixture.AdminUser, DistributedAppFixture.Password, scopes, cancellationToken);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope", null), (refused.Status, refused.Error, refused.AccessToken));
        Assert.Equal((HttpStatusCode.OK, null), (granted.Status, granted.Error));
        Assert.NotNull(granted.AccessToken);
    }

    [Fact]
    public async Task The_admin_uses_the_admin_API_and_reads_another_users_profile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity", await app.GetTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken));
        using var profiles = app.CreateClient("profileservice", await app.GetTokenAsync(DistributedAppFixture.AdminUser, "profiles.read profiles.admin", cancellationToken));

        using var keys = await identity.GetAsync(new Uri("/admin/signing-keys", UriKind.Relative), cancellationToken);
        using var bob = await profiles.GetAsync(new Uri("/profiles/bob", UriKind.Relative), cancellationToken);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (keys.StatusCode, bob.StatusCode));
    }

    [Theory]
    [InlineData("identity.admin")]
    [InlineData("profiles.read profiles.admin")]
    public async Task At_authorize_a_user_without_the_role_is_sent_back_invalid_scope_and_the_admin_gets_a_code(string scopes)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = new FormSignIn(app);
        using var admin = new FormSignIn(app);

        var refused = await alice.AuthorizeAsync(AdminClient, AdminRedirectUri, scopes, "alice", DistributedAppFixture.Password, cancellationToken);
        var granted = await admin.AuthorizeAsync(AdminClient, AdminRedirectUri, scopes, DistributedAppFixture.AdminUser, DistributedAppFixture.Password, cancellationToken);
        var tokens = await admin.RedeemAsync(AdminClient, AdminRedirectUri, granted.Code!, granted.Verifier, cancellationToken);

        Assert.Equal((null, "invalid_scope"), (refused.Code, refused.Error));
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens.AccessToken);
    }
}
