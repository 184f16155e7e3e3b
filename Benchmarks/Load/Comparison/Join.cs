using Benchmarks.Load.Driving;

namespace Benchmarks.Load.Comparison;

/// <summary>What a UserService instance that joined a loaded one did (<see cref="JoinProbe"/>).</summary>
/// <param name="Serving">The load on the instance already serving, over the whole probe.</param>
/// <param name="Joining">The load on the new instance, from the moment it accepted connections.</param>
/// <param name="UntilListening">From starting the new instance's process to its first accepted connection.</param>
/// <param name="JoiningThreadPoolPeak">The most thread pool threads the new instance had while driven.</param>
internal sealed record Join(PhaseResult Serving, PhaseResult Joining, TimeSpan UntilListening, int JoiningThreadPoolPeak, int JoiningConnections);
