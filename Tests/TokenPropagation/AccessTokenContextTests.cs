using System.Collections.Concurrent;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Tests.TokenPropagation;

public sealed class AccessTokenContextTests
{
    private static CallerToken Token(string user) => new($"token-of-{user}", user, DateTimeOffset.UtcNow.AddMinutes(5));

    [Fact]
    public async Task A_flow_that_never_had_a_token_sees_none()
    {
        await Task.Run(() => Assert.Null(CallerTokenContext.Current), TestContext.Current.CancellationToken);

        Assert.Null(CallerTokenContext.Current);
        Assert.Throws<InvalidOperationException>(CallerTokenContext.Capture);
    }

    [Fact]
    public async Task The_token_follows_await_TaskRun_WhenAll_and_ParallelForEachAsync()
    {
        var token = Token("alice");
        var seen = new ConcurrentBag<CallerToken?>();

        using (CallerTokenContext.Restore(token))
        {
            await Task.Yield();
            seen.Add(CallerTokenContext.Current);

            await Task.Run(() => seen.Add(CallerTokenContext.Current), TestContext.Current.CancellationToken);

            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                await Task.Yield();
                seen.Add(CallerTokenContext.Current);
            }));

            await Parallel.ForEachAsync(Enumerable.Range(0, 8), TestContext.Current.CancellationToken, async (_, _) =>
            {
                await Task.Yield();
                seen.Add(CallerTokenContext.Current);
            });
        }

        Assert.Equal(18, seen.Count);
        Assert.All(seen, current => Assert.Same(token, current));
        Assert.Null(CallerTokenContext.Current);
    }

    [Fact]
    public void Nested_scopes_restore_the_outer_token_when_they_end()
    {
        var outer = Token("alice");
        var inner = Token("bob");

        using (CallerTokenContext.Restore(outer))
        {
            using (CallerTokenContext.Restore(inner))
            {
                Assert.Same(inner, CallerTokenContext.Current);
            }

            Assert.Same(outer, CallerTokenContext.Current);
        }

        Assert.Null(CallerTokenContext.Current);
    }

    [Fact]
    public async Task Restores_on_many_concurrent_flows_never_see_each_others_token()
    {
        // All flows hold their scope open at once, and check again after every other flow has
        // restored its own token: a token leaking between flows would show up as a mismatch.
        const int Flows = 500;
        var allRestored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restored = 0;

        var flows = Enumerable.Range(0, Flows).Select(number => Task.Run(async () =>
        {
            var token = Token($"user{number:000}");
            using (CallerTokenContext.Restore(token))
            {
                if (Interlocked.Increment(ref restored) == Flows)
                {
                    allRestored.SetResult();
                }

                await allRestored.Task;
                return ReferenceEquals(token, CallerTokenContext.Current);
            }
        }));

        var results = await Task.WhenAll(flows);

        Assert.All(results, Assert.True);
        Assert.Null(CallerTokenContext.Current);
    }

    [Fact]
    public void Setting_a_request_token_where_no_request_scope_is_open_fails_instead_of_losing_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CallerTokenContext.SetRequestToken(Token("alice")));

        Assert.Contains("request scope", error.Message, StringComparison.Ordinal);
        Assert.Null(CallerTokenContext.Current);
    }

    [Fact]
    public async Task The_token_is_cleared_when_the_request_ends_even_for_work_it_left_running()
    {
        var token = Token("alice");
        var requestEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<CallerToken?> leftRunning;
        CallerToken captured;

        using (CallerTokenContext.BeginRequest())
        {
            CallerTokenContext.SetRequestToken(token);
            captured = CallerTokenContext.Capture();
            leftRunning = Task.Run(async () =>
            {
                await requestEnded.Task;
                return CallerTokenContext.Current;
            }, TestContext.Current.CancellationToken);
        }

        requestEnded.SetResult();

        Assert.Null(await leftRunning);
        Assert.Same(token, captured);
        using (CallerTokenContext.Restore(captured))
        {
            Assert.Same(token, CallerTokenContext.Current);
        }
    }

    [Fact]
    public void Logging_a_token_does_not_reveal_it()
    {
        var token = Token("alice");
        var logger = new FakeLogger();

        // As a careless log line would: the token object as a structured value.
        logger.LogInformation("Calling ProfileService with {Token}", token);

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.DoesNotContain(token.Value, record.Message, StringComparison.Ordinal);
        Assert.Contains(token.Fingerprint, record.Message, StringComparison.Ordinal);
        Assert.All(record.StructuredState!, value => Assert.DoesNotContain(token.Value, value.Value ?? "", StringComparison.Ordinal));

        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.Contains(token.Fingerprint, token.ToString(), StringComparison.Ordinal);
        Assert.Equal(token.Fingerprint, new CallerToken(token.Value, "alice", token.ExpiresAt).Fingerprint);
        Assert.NotEqual(token.Fingerprint, Token("bob").Fingerprint);
    }
}
