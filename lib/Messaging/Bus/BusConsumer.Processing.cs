using System.Diagnostics;
using System.Text.Json;
using Suite.Redis;

namespace Suite.Messaging;

// The life of one message in the consumer: wait for a slot, run the handler, then ack, retry or dead-letter.
internal sealed partial class BusConsumer<TMessage>
{
    private enum Outcome
    {
        Done,
        Retry,
        LeftPending,
    }

    /// <summary>Takes a message in hand; it runs on the thread pool once a slot is free.</summary>
    private void Start(StreamEntry entry, int attempt)
    {
        if (_drain is not null && !_drain.TryEnter())
        {
            // The service is draining: leave the message pending for another consumer.
            _held.TryRemove(entry.Id, out _);
            return;
        }
        Interlocked.Increment(ref _running);
        _held[entry.Id] = Stopwatch.GetTimestamp();
        _ = RunAsync(entry, attempt, holdsSlot: _slots.Wait(0));
    }

    private async Task RunAsync(StreamEntry entry, int attempt, bool holdsSlot)
    {
        var id = entry.Id;
        var retrying = false;
        try
        {
            // Off the reading loop, so a handler that blocks cannot hold up the others.
            await Task.Yield();
            while (true)
            {
                if (!holdsSlot)
                {
                    await _slots.WaitAsync(_stopReading.Token);
                    holdsSlot = true;
                }
                if (retrying)
                {
                    // XCLAIM counts the new delivery in Redis, where it survives this process.
                    if (await ClaimForRetryAsync(id, attempt) is not { } claimed)
                        return;
                    entry = claimed;
                    attempt++;
                }

                if (await DeliverAsync(entry, attempt) != Outcome.Retry)
                    return;

                // Give the slot to other messages while this one waits out its backoff.
                _slots.Release();
                holdsSlot = false;
                retrying = true;
                await Task.Delay(_options.RetryBackoff.DelayAfter(attempt), _stopReading.Token);
            }
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
            // Shutting down: the message stays pending for whoever reclaims it.
        }
        catch (Exception ex)
        {
            // Redis failed while dead-lettering or claiming: the message stays pending and comes back.
            BusLog.ProcessingFailed(_logger, ex, id, _topic);
        }
        finally
        {
            _held.TryRemove(id, out _);
            if (holdsSlot)
                _slots.Release();
            _drain?.Exit();
            if (Interlocked.Decrement(ref _running) == 0 && _stopReading.IsCancellationRequested)
                _idle.TrySetResult();
        }
    }

    private async Task<Outcome> DeliverAsync(StreamEntry entry, int attempt)
    {
        if (attempt > _options.MaxDeliveries)
        {
            await DeadLetterAsync(entry, entry.Id, attempt - 1, DeadLetterReasons.Limit, "DeliveryLimitExceeded",
                $"Delivered {attempt - 1} times without being acknowledged (its consumers crashed, hung or were stopped).");
            return Outcome.Done;
        }

        Envelope envelope;
        TMessage message;
        try
        {
            envelope = MessageFields.Decode(entry);
            message = JsonSerializer.Deserialize<TMessage>(envelope.Data.Span, _busOptions.SerializerOptions)!;
        }
        catch (Exception ex)
        {
            await DeadLetterAsync(entry, entry.Id, attempt, DeadLetterReasons.Malformed, ex);
            return Outcome.Done;
        }

        var error = await InvokeAsync(entry.Id, envelope, message, attempt);
        if (error is null)
        {
            _held.TryRemove(entry.Id, out _);
            _acks.Enqueue(entry.Id);
            return Outcome.Done;
        }
        if (error is OperationCanceledException && _abortHandlers.IsCancellationRequested)
            return Outcome.LeftPending;
        if (attempt >= _options.MaxDeliveries)
        {
            await DeadLetterAsync(entry, entry.Id, attempt, DeadLetterReasons.Failed, error);
            return Outcome.Done;
        }
        if (_stopReading.IsCancellationRequested)
            return Outcome.LeftPending;
        BusTelemetry.Retried.Add(1, _tags);
        BusLog.Retrying(_logger, error, envelope.MessageId, _topic, attempt);
        return Outcome.Retry;
    }

    private async Task<Exception?> InvokeAsync(string streamId, Envelope envelope, TMessage message, int attempt)
    {
        using var activity = BusTelemetry.StartProcess(_topic, _group, _consumer, envelope.MessageId, attempt, envelope.Trace);
        var context = new MessageContext<TMessage>
        {
            Message = message,
            MessageId = envelope.MessageId,
            StreamId = streamId,
            Topic = _topic,
            Group = _group,
            Consumer = _consumer,
            Attempt = attempt,
            EnqueuedAt = envelope.EnqueuedAt,
            MessageType = envelope.Type,
            ActivityContext = envelope.Trace,
        };
        BusTelemetry.Delivered.Add(1, _tags);
        var started = Stopwatch.GetTimestamp();
        Exception? error = null;
        try
        {
            await _handle(context, _abortHandlers.Token);
        }
        catch (Exception ex)
        {
            error = ex;
            if (activity is not null)
                BusTelemetry.Fail(activity, ex);
        }
        var tags = new TagList { _tags[0], _tags[1], { BusTelemetry.OutcomeTag, error is null ? "success" : "failure" } };
        BusTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        return error;
    }

    /// <summary>
    /// Claims a failed message back for its next delivery. The min-idle guard makes the claim fail when another
    /// consumer has reclaimed it meanwhile (its idle time was reset then), so two consumers never both retry it.
    /// </summary>
    private async Task<StreamEntry?> ClaimForRetryAsync(string id, int attempt)
    {
        var touched = _held.TryGetValue(id, out var stamp) ? stamp : Stopwatch.GetTimestamp();
        var minIdle = Stopwatch.GetElapsedTime(touched) - _options.VisibilityTimeout / 2;
        var entry = await StreamCommands.ClaimAsync(
            _redis, _topic, _group, _consumer, minIdle > TimeSpan.Zero ? minIdle : TimeSpan.Zero, id, _stopReading.Token);
        if (entry is not null)
        {
            _held[id] = Stopwatch.GetTimestamp();
            return entry;
        }
        // Not claimed: another consumer has it, or the entry was trimmed (XCLAIM then drops it from the pending list).
        if ((await _redis.XRangeAsync(_topic, id, id, 1, _stopReading.Token)).Count == 0)
            await DeadLetterAsync(null, id, attempt, DeadLetterReasons.Lost, "MessageLost",
                "The entry was trimmed from the stream before it was acknowledged.");
        return null;
    }

    private Task DeadLetterAsync(StreamEntry? entry, string id, int attempts, string reason, Exception error) =>
        DeadLetterAsync(entry, id, attempts, reason, error.GetType().FullName ?? error.GetType().Name, error.Message);

    private async Task DeadLetterAsync(
        StreamEntry? entry, string id, int attempts, string reason, string errorType, string errorMessage,
        CancellationToken cancellationToken = default)
    {
        const int MaxErrorLength = 4000;
        var fields = new List<RedisValue>(2 * (entry?.Fields.Count ?? 0) + 16);
        if (entry is not null)
        {
            foreach (var (name, value) in entry.Fields)
            {
                fields.Add(name);
                fields.Add(value);
            }
        }
        fields.Add("dead.reason");
        fields.Add(reason);
        fields.Add("dead.error.type");
        fields.Add(errorType);
        fields.Add("dead.error.message");
        fields.Add(errorMessage.Length > MaxErrorLength ? errorMessage[..MaxErrorLength] : errorMessage);
        fields.Add("dead.original_id");
        fields.Add(id);
        fields.Add("dead.group");
        fields.Add(_group);
        fields.Add("dead.consumer");
        fields.Add(_consumer);
        fields.Add("dead.attempts");
        fields.Add(attempts);
        fields.Add("dead.time");
        fields.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        await StreamCommands.DeadLetterAsync(
            _redis, _topic, _deadTopic, _busOptions.DeadLetterMaxLength, _group, id, fields, cancellationToken);
        _held.TryRemove(id, out _);
        BusTelemetry.DeadLettered.Add(1, _tags[0], _tags[1], new(BusTelemetry.ReasonTag, reason));
        BusLog.DeadLettered(_logger, id, _topic, _group, reason, attempts, errorType, errorMessage);

        var messageId = entry?[MessageFields.Id] is { IsNull: false } idField ? idField.ToString() : null;
        var deadLetter = new DeadLetteredMessage(_topic, _group, id, messageId, reason, errorType, errorMessage, attempts);
        foreach (var observer in _deadLetterObservers)
        {
            try
            {
                await observer.OnDeadLetteredAsync(deadLetter, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                BusLog.DeadLetterObserverFailed(_logger, ex, id, _topic, observer.GetType().Name);
            }
        }
    }
}
