using System.Security.Cryptography;

namespace IdentityService.Keys;

/// <summary>An RSA private key kept as a PKCS#8 PEM file, created on first use.</summary>
internal static class RsaPemFile
{
    private const int KeySizeInBits = 2048;

    public static RSA LoadOrCreate(string path)
    {
        var rsa = RSA.Create();

        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }

        rsa.KeySize = KeySizeInBits;
        Write(path, rsa.ExportPkcs8PrivateKeyPem());
        return rsa;
    }

    private static void Write(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created readable by the service's user only, with no window where others could read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(pem);
    }
}
