using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Receives a request's whole body before anything else works on the request, within
/// <see cref="RequestLimitsOptions.MaxBodySize"/> and <see cref="RequestLimitsOptions.BodyTimeout"/>:
/// a body that trickles in holds a connection, never one of the permits requests are worked on
/// with, and the app then reads it from memory. Too large: 413, before a byte is read when the
/// length is announced. Too slow: 408. Either way the connection is not used again.
/// </summary>
internal sealed class RequestBodyMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            await next(context);
            return;
        }

        // Kestrel reads no further, from this request or for the connection's next one: a body
        // refused here is not drained, and its connection is closed at once.
        var settings = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxSize)
        {
            maxSize.MaxRequestBodySize = settings.MaxBodySize;
        }

        if (context.Request.ContentLength > settings.MaxBodySize)
        {
            await RefuseTooLargeAsync(context, settings);
            return;
        }

        bool received;
        try
        {
            received = await ReceiveAsync(context.Request.BodyReader, settings.BodyTimeout, context.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseTooLargeAsync(context, settings);
            return;
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Slower than Kestrel's least data rate (240 B/s after 5 s).
            received = false;
        }

        if (!received)
        {
            await RefuseAsync(context, StatusCodes.Status408RequestTimeout, "Request body too slow",
                $"The body must arrive within {settings.BodyTimeout.TotalSeconds:0.#} s.");
            return;
        }

        await next(context);
    }

    /// <summary>
    /// Reads until the body is complete without consuming any of it: the bytes stay in the request's
    /// own buffer, where the app's reads find them. Each read marks what it saw as examined, which
    /// is also where Kestrel checks the size of a body sent without a length.
    /// </summary>
    /// <returns>False when the body did not arrive within <paramref name="timeout"/>.</returns>
    private static async Task<bool> ReceiveAsync(PipeReader body, TimeSpan timeout, CancellationToken requestAborted)
    {
        // Cancelling the pending read, rather than the read's token, leaves the reader usable, so
        // Kestrel can wind the request up cleanly after the refusal.
        using var deadline = new CancellationTokenSource(timeout);
        var cancelRead = deadline.Token.Register(body.CancelPendingRead);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(requestAborted);
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            await cancelRead.DisposeAsync();
        }

        // A body completed just as the deadline passed counts as late too: the cancellation may be
        // waiting for the app's first read.
        return !deadline.IsCancellationRequested;
    }

    private static Task RefuseTooLargeAsync(HttpContext context, RequestLimitsOptions settings) =>
        RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"This service reads bodies of at most {settings.MaxBodySize} bytes.");

    private static Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        // HTTP/1.1 says so (HTTP/2 has no such header): the rest of the body is not read, so the
        // connection cannot carry another request.
        if (HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
