namespace InclusionMap.Server.Cli;

/// <summary>A command-line mistake the parser cannot see (a value out of its range): the message is shown, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
