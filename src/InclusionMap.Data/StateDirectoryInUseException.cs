namespace InclusionMap.Data;

/// <summary>Raised when the state directory already belongs to another running InclusionMap.</summary>
public sealed class StateDirectoryInUseException(string message) : Exception(message);
