using System.Net;
using Tests.Integration;

namespace Tests.SignIn;

/// <summary>The sign-in form takes a post only with the anti-forgery token of the page it came from.</summary>
public sealed class SignInAntiforgeryTests(DistributedAppFixture app)
{
    private const string SignInPath = "/account/signin";

    [Fact]
    public async Task A_sign_in_posted_without_its_anti_forgery_token_is_refused_with_400_and_with_it_is_taken()
    {
        using var timeout = TestTimeout.After(TimeSpan.FromMinutes(1));
        using var forged = new FormSignIn(app);
        using var genuine = new FormSignIn(app);

        // The right password both times (a wrong one would count towards alice's throttle).
        using var refused = await forged.PostSignInAsync("alice", DistributedAppFixture.Password, SignInPath, timeout.Token, withAntiforgery: false);
        using var taken = await genuine.PostSignInAsync("alice", DistributedAppFixture.Password, SignInPath, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
    }
}
