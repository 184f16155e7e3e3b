using Refit;

namespace Benchmarks.Baseline;

/// <summary>The baseline profile service's API: the real client's call, with the caller in a header instead of a token.</summary>
public interface IProfileServiceClient
{
    [Get("/profiles/me")]
    Task<Profile> GetMyProfileAsync([Header(CallerHeader.Name)] string userId, CancellationToken cancellationToken);
}
