using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;

namespace Tests.Exports;

/// <summary>Every value of every table of UserService's job store, as someone who copied the database would read it.</summary>
internal static partial class JobStoreDump
{
    /// <summary>Each run of characters a token could be made of (JWT, JWE and base64url), long enough to be one.</summary>
    public static async Task<IReadOnlySet<string>> ReadCandidatesAsync(DbConnection store, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = store.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    var text = reader.IsDBNull(column) ? null : reader.GetValue(column) switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    };
                    candidates.UnionWith(TokenLike().Matches(text ?? string.Empty).Select(match => match.Value));
                }
            }
        }

        return candidates;
    }

    [GeneratedRegex("[A-Za-z0-9_.~+/=-]{40,}")]
    private static partial Regex TokenLike();
}
