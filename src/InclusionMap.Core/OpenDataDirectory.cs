namespace InclusionMap.Core;

/// <summary>
/// Locates the open-data directory (the national files InclusionMap reads but never copies into the repository).
/// Order: an explicit path, then <c>INCLUSIONMAP_DATA</c>, then <c>shared/data</c> beside the repository
/// (found by walking up from the working directory and from the application's directory).
/// </summary>
public static class OpenDataDirectory
{
    public const string EnvironmentVariable = "INCLUSIONMAP_DATA";

    public static string Resolve(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Require(Path.GetFullPath(configured));
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Require(Path.GetFullPath(fromEnvironment));
        return TryFindBesideRepository()
            ?? throw new DirectoryNotFoundException(
                $"Open-data directory not found. Set {EnvironmentVariable} or pass --data DIR "
                + "(default: ../shared/data relative to the repository).");
    }

    public static string? TryFindBesideRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(Path.Combine(candidate, "lieux"))) return candidate;
            }
        }
        return null;
    }

    private static string Require(string path) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"Open-data directory '{path}' does not exist.");
}
