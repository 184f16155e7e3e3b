using Microsoft.Extensions.Options;

namespace IdentityService.Settings;

/// <summary>
/// The folder holding the database and the keys. Everything in it is re-created on start, so
/// deleting it resets the service (and invalidates every token issued before).
/// </summary>
internal sealed class DataDirectory
{
    public DataDirectory(IOptions<IdentityServerOptions> settings, IHostEnvironment environment)
    {
        FullPath = Path.GetFullPath(settings.Value.DataDirectory, environment.ContentRootPath);

        // It holds private keys: readable by the service's user only.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(FullPath);
        }
        else
        {
            Directory.CreateDirectory(FullPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string FullPath { get; }

    public string GetFilePath(string fileName) => Path.Combine(FullPath, fileName);
}
