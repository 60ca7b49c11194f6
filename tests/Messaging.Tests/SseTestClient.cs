using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Suite.Messaging.Tests;

/// <summary>One SSE frame: an event (id, type, data) or a comment.</summary>
internal sealed record SseFrame(string? Id, string? Event, string? Data, string? Comment)
{
    public bool IsComment => Comment is not null && Event is null && Data is null;

    public JsonElement Json => JsonDocument.Parse(Data!).RootElement;

    public int Attempt => Json.GetProperty("attempt").GetInt32();
}

/// <summary>Reads a job's event stream over real HTTP, frame by frame, as a browser's EventSource would.</summary>
internal sealed class SseTestClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseTestClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode StatusCode => _response.StatusCode;

    public HttpResponseMessage Response => _response;

    /// <summary>Opens <c>GET /v1/jobs/{id}/events</c> (with <paramref name="lastEventId"/> as the header, <paramref name="query"/> appended).</summary>
    public static async Task<SseTestClient> OpenAsync(HttpClient client, string jobId, string? lastEventId = null, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{jobId}/events{query}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        return new SseTestClient(response, reader);
    }

    /// <summary>The next frame, or null when the server closed the stream.</summary>
    public async Task<SseFrame?> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string? id = null, type = null, comment = null;
        StringBuilder? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancel.Token);
            if (line is null)
                return null;
            if (line.Length == 0)
            {
                if (id is null && type is null && data is null && comment is null)
                    continue;
                return new SseFrame(id, type, data?.ToString(), comment);
            }
            if (line.StartsWith(':'))
                comment = line[1..].TrimStart();
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = data is null ? new StringBuilder(line[6..]) : data.Append('\n').Append(line[6..]);
        }
    }

    /// <summary>The next event, skipping comments.</summary>
    public async Task<SseFrame?> NextEventAsync(TimeSpan timeout)
    {
        while (true)
        {
            var frame = await NextAsync(timeout);
            if (frame is null || !frame.IsComment)
                return frame;
        }
    }

    /// <summary>Every event until the server closes the stream.</summary>
    public async Task<List<SseFrame>> ReadToEndAsync(TimeSpan timeout)
    {
        var frames = new List<SseFrame>();
        while (await NextEventAsync(timeout) is { } frame)
            frames.Add(frame);
        return frames;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
