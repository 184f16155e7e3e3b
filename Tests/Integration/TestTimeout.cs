namespace Tests.Integration;

internal static class TestTimeout
{
    /// <summary>Cancelled when the test run is, or after <paramref name="limit"/>, whichever comes first.</summary>
    public static CancellationTokenSource After(TimeSpan limit)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        return timeout;
    }
}
