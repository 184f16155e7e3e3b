namespace Tests.Integration;

internal static class Polling
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Asks <paramref name="read"/> again until its answer satisfies <paramref name="done"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = await read(cancellationToken);
            if (done(value))
            {
                return value;
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
