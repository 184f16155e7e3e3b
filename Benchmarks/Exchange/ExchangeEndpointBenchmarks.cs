using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;

namespace Benchmarks.Exchange;

/// <summary>
/// Chain d's cost at the issuer: one token exchange through IdentityService's whole HTTP pipeline
/// (in process, in memory, a new subject token each time), and the parts of it suspected to weigh
/// most, each through the OpenIddict manager the exchange itself calls, in a new DI scope as a
/// request has. results/exchange.md puts them beside the profile.
/// </summary>
[MemoryDiagnoser]
public class ExchangeEndpointBenchmarks
{
    // The pool the exchange cycles through: the issuer keeps nothing per subject token, so one sent
    // again costs what a new one does.
    private const int SubjectTokens = 2_000;

    // Exchanges before measuring: with the path jitted and tiered up, BenchmarkDotNet's pilot sees
    // a steady exchange and runs enough of them per iteration.
    private const int WarmUpExchanges = 300;

    private IssuerInProcess _issuer = null!;
    private string[] _subjectTokens = null!;
    private int _next;
    private object _application = null!;
    private AsyncServiceScope _applicationScope;
    private string _storedTokenId = null!;
    private string _applicationId = null!;
    private ProcessCpuPerOperation? _exchangeCpu;

    [GlobalSetup(Target = nameof(Exchange))]
    public async Task SetupExchangeAsync()
    {
        await SetupIssuerAsync(SubjectTokens);
        for (var index = 0; index < WarmUpExchanges; index++)
        {
            await _issuer.ExchangeAsync(_subjectTokens[index]);
        }
        _exchangeCpu = new ProcessCpuPerOperation();
    }

    // The parts need one stored subject token, not a pool: each token minted costs the set-up a refresh grant.
    [GlobalSetup(Targets = [nameof(ClientSecretCheck), nameof(ClientLookup), nameof(AudienceScopes), nameof(StoredTokenLookup), nameof(IssuedTokenRow)])]
    public Task SetupPartsAsync() => SetupIssuerAsync(subjectTokens: 1);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _exchangeCpu?.Report();
        await _applicationScope.DisposeAsync();
        _issuer.Dispose();
    }

    private async Task SetupIssuerAsync(int subjectTokens)
    {
        _issuer = new IssuerInProcess();
        _subjectTokens = await _issuer.MintSubjectTokensAsync(subjectTokens);
        _storedTokenId = new JsonWebToken(_subjectTokens[0]).GetClaim("oi_tkn_id").Value;

        _applicationScope = _issuer.Services.CreateAsyncScope();
        var applications = _applicationScope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        _application = await applications.FindByClientIdAsync(IssuerInProcess.ClientId)
            ?? throw new InvalidOperationException("The exchange client is not registered.");
        _applicationId = (await applications.GetIdAsync(_application))!;
    }

    [Benchmark(Baseline = true, Description = "exchange: POST /connect/token, a new subject token")]
    public Task<string> Exchange()
    {
        _exchangeCpu!.Count();
        return _issuer.ExchangeAsync(_subjectTokens[_next++ % _subjectTokens.Length]);
    }

    [Benchmark(Description = "client secret check (ValidateClientSecretAsync)")]
    public async Task<bool> ClientSecretCheck()
    {
        var applications = _applicationScope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        return await applications.ValidateClientSecretAsync(_application, _issuer.ClientSecret);
    }

    [Benchmark(Description = "client lookup (FindByClientIdAsync, new scope)")]
    public async Task<object?> ClientLookup()
    {
        await using var scope = _issuer.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(IssuerInProcess.ClientId);
    }

    [Benchmark(Description = "audience's scopes (FindByResourceAsync, new scope)")]
    public async Task<int> AudienceScopes()
    {
        await using var scope = _issuer.Services.CreateAsyncScope();
        var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        var count = 0;
        await foreach (var found in scopes.FindByResourceAsync(IssuerInProcess.Audience))
        {
            count += (await scopes.GetNameAsync(found))?.Length ?? 0;
        }
        return count;
    }

    [Benchmark(Description = "subject token's row (FindByIdAsync, new scope)")]
    public async Task<object?> StoredTokenLookup()
    {
        await using var scope = _issuer.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().FindByIdAsync(_storedTokenId);
    }

    [Benchmark(Description = "issued token's row (CreateAsync: insert + SaveChanges, new scope)")]
    public async Task<object> IssuedTokenRow()
    {
        await using var scope = _issuer.Services.CreateAsyncScope();
        var now = DateTimeOffset.UtcNow;
        return await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().CreateAsync(new OpenIddictTokenDescriptor
        {
            ApplicationId = _applicationId,
            CreationDate = now,
            ExpirationDate = now.AddMinutes(15),
            Status = OpenIddictConstants.Statuses.Valid,
            Subject = "user001",
            Type = OpenIddictConstants.TokenTypeIdentifiers.AccessToken,
        });
    }
}
