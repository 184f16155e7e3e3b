using System.Net;
using System.Net.Sockets;

namespace Benchmarks.Load.Processes;

internal static class FreePort
{
    /// <summary>A loopback port free right now: the system picks it, the listener lets it go.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
