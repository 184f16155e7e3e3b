using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Exports;

/// <summary>
/// The app with access tokens that live <see cref="TokenLifetime"/>, and a UserService that queues
/// exports but runs none (<c>Exports:RunJobs</c> off) until <see cref="RunJobs"/> is set and it is
/// restarted: the test decides when jobs run, after the tokens they were queued with expired.
/// </summary>
public sealed class DelegatedExportApp : DistributedAppFixture
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Whether UserService runs jobs from its next start.</summary>
    public bool RunJobs { get; set; }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("IdentityServer__AccessTokenLifetime", TokenLifetime.ToString("c"));
        builder.CreateResourceBuilder<ProjectResource>("userservice")
            .WithEnvironment(context => context.EnvironmentVariables["Exports__RunJobs"] = RunJobs ? "true" : "false");
    }
}

/// <summary>The tests of <see cref="DelegatedExportApp"/>, one at a time: they restart UserService.</summary>
[CollectionDefinition]
public sealed class DelegatedExport : ICollectionFixture<DelegatedExportApp>;
