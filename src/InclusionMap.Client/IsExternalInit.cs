#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.0 compile records and init-only setters.</summary>
internal static class IsExternalInit;
#endif
