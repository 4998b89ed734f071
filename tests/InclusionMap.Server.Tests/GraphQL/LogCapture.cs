using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>Every entry the server logs, with its category and exception.</summary>
public sealed class LogCapture : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    private readonly string _category = "";

    public LogCapture()
    {
    }

    private LogCapture(LogCapture parent, string category) => (Entries, _category) = (parent.Entries, category);

    public ILogger CreateLogger(string categoryName) => new LogCapture(this, categoryName);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) Entries.Enqueue((_category, logLevel, formatter(state, exception), exception));
    }

    public void Dispose()
    {
    }
}
