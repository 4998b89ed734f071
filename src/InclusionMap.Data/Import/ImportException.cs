namespace InclusionMap.Data.Import;

/// <summary>An import that cannot proceed (unreadable file, unknown format, strict mode rejection): the message is for the user.</summary>
public sealed class ImportException(string message, Exception? inner = null) : Exception(message, inner);
