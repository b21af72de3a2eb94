namespace Portable.Dashboard.Tests;

/// <summary>The repository's root folder, found from the test's output folder.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Portable.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
    }
}
