namespace Benchmarks.Load.Tokens;

/// <summary>
/// A development user signed in once (user001, user002, ...): the access token the warm chains
/// use, and the refresh token that mints fresh ones. Each refresh rotates the refresh token, so
/// one user's refreshes run one after another.
/// </summary>
internal sealed class UserSession
{
    private string _refreshToken;

    private UserSession(string userId, IssuedTokens tokens)
    {
        UserId = userId;
        AccessToken = tokens.AccessToken;
        _refreshToken = tokens.RefreshToken;
    }

    public string UserId { get; }

    /// <summary>The token of the sign-in; refreshing leaves it valid.</summary>
    public string AccessToken { get; }

    /// <summary>Signs in users 1..<paramref name="count"/>, a few at a time (each costs the issuer a password hash).</summary>
    public static async Task<UserSession[]> SignInAsync(TokenClient tokens, int count, CancellationToken cancellationToken)
    {
        var sessions = new UserSession[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var userId = $"user{index + 1:000}";
                sessions[index] = new UserSession(userId, await tokens.SignInAsync(userId, token));
            });
        return sessions;
    }

    /// <summary>A new access token for this user, never sent anywhere before.</summary>
    public async Task<string> MintAsync(TokenClient tokens, CancellationToken cancellationToken)
    {
        var issued = await tokens.RefreshAsync(_refreshToken, cancellationToken);
        _refreshToken = issued.RefreshToken;
        return issued.AccessToken;
    }
}
