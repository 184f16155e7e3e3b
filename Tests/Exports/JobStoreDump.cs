using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Tests.Integration;
using Tests.TokenExchange;

namespace Tests.Exports;

/// <summary>Every value of every table of UserService's job store, as someone who copied the database would read it.</summary>
internal static partial class JobStoreDump
{
    /// <summary>
    /// Every token-like string of the store (the jobs with their protected delegations, the exports,
    /// the Data Protection keys) is refused by ProfileService as a bearer token and by the issuer as a
    /// delegation, even with UserService's credentials; the user's token is not there at all. The
    /// store holds <paramref name="queuedJobs"/> jobs waiting to run, so there is something to find.
    /// </summary>
    public static async Task AssertHoldsNoBearerTokenAsync(
        DistributedAppFixture app, DbConnection store, string userToken, int queuedJobs, CancellationToken cancellationToken)
    {
        Assert.Equal(queuedJobs, await CountAsync(store, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = 'exports'", cancellationToken));

        var candidates = await ReadCandidatesAsync(store, await TablesAsync(store, cancellationToken), cancellationToken);
        Assert.NotEmpty(candidates);
        Assert.DoesNotContain(candidates, candidate => candidate.Contains(userToken, StringComparison.Ordinal) || userToken.Contains(candidate, StringComparison.Ordinal));

        using var profileService = app.CreateClient("profileservice");
        foreach (var candidate in candidates)
        {
            using var asBearer = new HttpRequestMessage(HttpMethod.Get, new Uri("/profiles/me", UriKind.Relative));
            asBearer.Headers.Authorization = new("Bearer", candidate);
            using var answer = await profileService.SendAsync(asBearer, cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);

            using var asDelegation = await Delegations.RequestAsync(app, Delegations.UseForm(candidate), asUserService: true, cancellationToken);
            Assert.False(asDelegation.IsSuccessStatusCode, "A string of the job store was taken as a delegation.");
        }
    }

    private static async Task<List<string>> TablesAsync(DbConnection store, CancellationToken cancellationToken)
    {
        await using var list = store.CreateCommand();
        list.CommandText = store is NpgsqlConnection
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var tables = new List<string>();
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<long> CountAsync(DbConnection store, string sql, CancellationToken cancellationToken)
    {
        await using var count = store.CreateCommand();
        count.CommandText = sql;
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Each run of characters a token could be made of (JWT, JWE and base64url), long enough to be one.</summary>
    private static async Task<IReadOnlySet<string>> ReadCandidatesAsync(DbConnection store, IEnumerable<string> tables, CancellationToken cancellationToken)
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
                        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
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
