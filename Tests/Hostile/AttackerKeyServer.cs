using Tests.TokenPropagation;

namespace Tests.Hostile;

/// <summary>
/// A key server an attacker would point <c>jku</c> and <c>x5u</c> at, on this machine: any request
/// it receives means a service fetched keys from where a token told it to.
/// </summary>
public sealed class AttackerKeyServer : IAsyncLifetime
{
    private TestListener? _listener;

    public Uri Address => _listener?.Address ?? throw new InvalidOperationException("The key server has not started.");

    public int RequestsReceived => _listener?.Authorizations.Count ?? 0;

    public async ValueTask InitializeAsync() => _listener = await TestListener.StartAsync("127.0.0.1");

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }
}
