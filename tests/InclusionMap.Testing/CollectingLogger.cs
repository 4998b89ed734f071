using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Testing;

/// <summary>A logger that keeps every message with its time and level, for tests of what a component says.</summary>
public sealed class CollectingLogger : ILogger
{
    public ConcurrentQueue<(DateTimeOffset At, LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) => Entries.Enqueue((DateTimeOffset.UtcNow, logLevel, formatter(state, exception)));
}
