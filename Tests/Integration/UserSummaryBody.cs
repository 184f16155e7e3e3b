namespace Tests.Integration;

/// <summary>UserService's summary: three ProfileService answers, each naming whose it is.</summary>
public sealed record UserSummaryBody(string UserId, ProfileBody Profile, OwnedBody Preferences, OwnedBody Activity)
{
    /// <summary>Whether every part ProfileService answered belongs to <paramref name="user"/>.</summary>
    public bool BelongsTo(string user) =>
        UserId == user && Profile.UserId == user && Preferences.UserId == user && Activity.UserId == user;
}

public sealed record OwnedBody(string UserId);
