namespace JwtPropagation;

/// <summary>
/// The access token of the work in progress: set for each authenticated request, it follows that
/// request's logical flow (across <c>await</c>, <c>Task.Run</c>, <c>Task.WhenAll</c>,
/// <c>Parallel.ForEachAsync</c>) and is cleared when the request ends, even for work the request
/// started and left running. Work that outlives the request takes the token along explicitly:
/// <see cref="Capture"/> it with the work item, and <see cref="Restore(CallerToken)"/> it around the
/// work; work that may outlive the token, or the process, keeps a <see cref="Delegation"/> instead
/// (<see cref="Outgoing.ITokenDelegation"/>).
/// </summary>
public static class CallerTokenContext
{
    // Each flow sees the holder of the request (or restore scope) it belongs to. Clearing the holder,
    // rather than the AsyncLocal, also clears it for every flow that copied it: the pattern of
    // ASP.NET Core's HttpContextAccessor.
    private static readonly AsyncLocal<Holder?> CurrentHolder = new();

    /// <summary>The token of the current flow, or null where there is none.</summary>
    public static CallerToken? Current => CurrentHolder.Value?.Token;

    /// <summary>
    /// The current token, to be carried with work that runs after the request has ended.
    /// </summary>
    /// <exception cref="InvalidOperationException">The current flow has no token.</exception>
    public static CallerToken Capture() => Current ?? throw new InvalidOperationException(
        "There is no access token to capture: capture it on the flow of an authenticated request.");

    /// <summary>
    /// Makes <paramref name="token"/> current on this flow, and on the flows it starts, until the
    /// returned scope is disposed; the token that was current before comes back then.
    /// </summary>
    public static IDisposable Restore(CallerToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new Scope(new Holder { Token = token });
    }

    /// <summary>
    /// Makes <paramref name="delegation"/> stand for its user on this flow, and on the flows it
    /// starts, until the returned scope is disposed: a client that exchanges (its
    /// <see cref="Outgoing.TokenPropagationOptions.Mode"/> is <see cref="Outgoing.TokenPropagationMode.Exchange"/>)
    /// trades it at the issuer for a short-lived access token for its destination; a client that
    /// would forward it refuses the call (<see cref="Outgoing.TokenDestinationRefusedException"/>).
    /// </summary>
    public static IDisposable Restore(Delegation delegation)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        return new Scope(new Holder { Token = new CallerToken(delegation) });
    }

    /// <summary>Opens the scope of one request; its token is set once it has been validated.</summary>
    internal static IDisposable BeginRequest() => new Scope(new Holder());

    /// <summary>Sets the validated token of the request whose scope is open on this flow.</summary>
    /// <exception cref="InvalidOperationException">No request scope is open on this flow: the token would be lost.</exception>
    internal static void SetRequestToken(CallerToken token)
    {
        var holder = CurrentHolder.Value ?? throw new InvalidOperationException(
            "No request scope is open on this flow for the validated token: AddJwtBearerAuthentication opens one in front of the app's middleware.");
        holder.Token = token;
    }

    private sealed class Holder
    {
        public CallerToken? Token;
    }

    private sealed class Scope : IDisposable
    {
        private readonly Holder _holder;
        private readonly Holder? _previous;

        public Scope(Holder holder)
        {
            _holder = holder;
            _previous = CurrentHolder.Value;
            CurrentHolder.Value = holder;
        }

        public void Dispose()
        {
            _holder.Token = null;
            if (CurrentHolder.Value == _holder)
            {
                CurrentHolder.Value = _previous;
            }
        }
    }
}
