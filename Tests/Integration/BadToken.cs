namespace Tests.Integration;

/// <summary>Ways a request's bearer token can be unacceptable.</summary>
public enum BadToken
{
    Missing,
    Malformed,
    Expired,
    WrongAudience,
}
