using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Suite.Testing;

namespace Suite.ServiceDefaults.Tests;

public sealed class TelemetryTests
{
    private static readonly ActivitySource Source = new("Suite.Tests");

    [Fact]
    public async Task Spans_are_written_to_telemetry_spans_with_their_ids_parent_and_attributes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = db.ConnectionString },
            map: a => a.MapGet("/chat/{model}", Chat));
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();

        var request = new HttpRequestMessage(HttpMethod.Get, "/chat/tiny-llm");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = await SpansOfTraceAsync(db, traceId.ToHexString(), count: 2);
        var server = spans.Single(s => s.Kind == "server");
        var child = spans.Single(s => s.Kind == "internal");
        Assert.Equal(callerSpanId.ToHexString(), server.ParentSpanId);
        Assert.Equal(server.SpanId, child.ParentSpanId);
        Assert.All(spans, s => Assert.Equal(app.ServiceName, s.Service));
        Assert.Equal("GET /chat/{model}", server.Name);
        Assert.Equal("/chat/{model}", server.Attributes.GetProperty("http.route").GetString());
        Assert.Equal(200, server.Attributes.GetProperty("http.response.status_code").GetInt32());
        Assert.Equal("chat tiny-llm", child.Name);
        Assert.Equal("Suite.Tests", child.Scope);
        Assert.Equal("tiny-llm", child.Attributes.GetProperty("gen_ai.request.model").GetString());
        Assert.Equal(42, child.Attributes.GetProperty("gen_ai.usage.input_tokens").GetInt32());
        Assert.True(child.DurationMs >= 0);
    }

    [Fact]
    public async Task Secret_attributes_are_never_written()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = db.ConnectionString },
            map: a => a.MapGet("/chat/{model}", Chat));
        var traceId = ActivityTraceId.CreateRandom();

        var request = new HttpRequestMessage(HttpMethod.Get, "/chat/tiny-llm");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        await app.Client.SendAsync(request);

        var child = (await SpansOfTraceAsync(db, traceId.ToHexString(), count: 2)).Single(s => s.Kind == "internal");
        var written = child.Attributes.GetRawText();
        foreach (var name in SecretNames)
        {
            Assert.False(child.Attributes.TryGetProperty(name, out _), $"{name} was written");
        }

        Assert.DoesNotContain("sk-live", written);
        Assert.DoesNotContain("hunter2", written);
        Assert.Equal(SecretAttributes.Redacted, child.Attributes.GetProperty("upstream.header").GetString());
        Assert.True(child.Attributes.TryGetProperty("gen_ai.usage.input_tokens", out _), "token counts are not secrets");
    }

    [Fact]
    public async Task Spans_are_dropped_and_counted_without_blocking_requests_while_postgres_hangs()
    {
        // PostgreSQL "up" but never answering: each export attempt hangs until its connect time-out.
        using var silent = Ports.Silent();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:postgres"] = Ports.UnreachablePostgres(silent.Port()),
                ["Suite:Telemetry:QueueCapacity"] = "16",
                ["Suite:Telemetry:BatchSize"] = "8",
            },
            map: a => a.MapGet("/ping", () => "pong"));
        var exporter = app.Services.GetRequiredService<PostgresSpanExporter>();
        long counted = 0;
        using var listener = CounterListener(app, SuiteTelemetry.SpansDroppedCounter, value => Interlocked.Add(ref counted, value));
        var droppedBefore = exporter.DroppedSpans;

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            var response = await app.Client.GetAsync("/ping");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // 100 requests in far less than one connect time-out: none of them waited for the exporter.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"100 requests took {watch.Elapsed}");
        Assert.True(exporter.QueuedSpans <= 16);
        Assert.True(exporter.DroppedSpans >= 100 - 16 - 8, $"dropped {exporter.DroppedSpans}");
        // Spans of other test apps in this process reach this exporter too, so compare from the listener's start.
        Assert.True(Interlocked.Read(ref counted) >= exporter.DroppedSpans - droppedBefore,
            $"the {SuiteTelemetry.SpansDroppedCounter} counter reported {counted} of {exporter.DroppedSpans - droppedBefore} drops");
    }

    [Fact]
    public async Task A_failed_export_drops_its_batch_and_counts_it_when_postgres_is_down()
    {
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = Ports.UnreachablePostgres(Ports.Closed()) },
            map: a => a.MapGet("/ping", () => "pong"));
        var exporter = app.Services.GetRequiredService<PostgresSpanExporter>();

        await app.Client.GetAsync("/ping");

        await Eventually.Until(() => exporter.DroppedSpans >= 1 && exporter.QueuedSpans == 0, TimeSpan.FromSeconds(10),
            "the exporter gave up on the span it could not write");
        Assert.Equal(0, exporter.ExportedSpans);
    }

    private static readonly string[] SecretNames =
        ["api_key", "http.request.header.authorization", "http.request.header.x-api-key", "db.password", "auth_token", "openai.apiKey", "db.connection_string"];

    private static IResult Chat(string model)
    {
        using var activity = Source.StartActivity($"chat {model}");
        activity?.SetTag("gen_ai.request.model", model);
        activity?.SetTag("gen_ai.usage.input_tokens", 42);
        activity?.SetTag("api_key", "sk-live-123");
        activity?.SetTag("http.request.header.authorization", "sk-live-456");
        activity?.SetTag("http.request.header.x-api-key", "sk-live-789");
        activity?.SetTag("db.password", "hunter2");
        activity?.SetTag("auth_token", "sk-live-abc");
        activity?.SetTag("openai.apiKey", "sk-live-def");
        activity?.SetTag("db.connection_string", "Host=db;Password=hunter2");
        activity?.SetTag("upstream.header", "Bearer sk-live-ghi");
        return TypedResults.Ok(new { model });
    }

    private sealed record Span(string SpanId, string? ParentSpanId, string Service, string Scope, string Name, string Kind, double DurationMs, JsonElement Attributes);

    private static async Task<List<Span>> SpansOfTraceAsync(TestDatabase db, string traceId, int count)
    {
        var spans = new List<Span>();
        await Eventually.Until(async () =>
        {
            spans = await ReadSpansAsync(db, traceId);
            return spans.Count >= count;
        }, TimeSpan.FromSeconds(15), $"{count} spans of trace {traceId} are in telemetry.spans");
        return spans;
    }

    private static async Task<List<Span>> ReadSpansAsync(TestDatabase db, string traceId)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT span_id, parent_span_id, service, scope, name, kind, duration_ms, attributes::text FROM telemetry.spans WHERE trace_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = traceId });
        await using var reader = await command.ExecuteReaderAsync();
        var spans = new List<Span>();
        while (await reader.ReadAsync())
        {
            spans.Add(new Span(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetDouble(6), JsonDocument.Parse(reader.GetString(7)).RootElement));
        }

        return spans;
    }

    private static MeterListener CounterListener(TestApp app, string name, Action<long> onMeasurement)
    {
        // Counters of other test apps in this process share the name; this app's meters carry its factory as scope.
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => onMeasurement(value));
        listener.Start();
        return listener;
    }
}
