namespace Portable.Core.Tests;

public sealed class PublicSurfaceTests
{
    [Fact]
    public void FunctionWritersNamespace_FitsOnAPage()
    {
        var types = typeof(PortableApp).Assembly.GetExportedTypes().Where(t => t.Namespace == "Portable").Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        Assert.True(types.Count <= 30, $"The namespace Portable has {types.Count} public types (at most 30): {string.Join(", ", types)}.");
    }

    [Fact]
    public void Core_ReferencesNoPackageButTheAbstractions()
    {
        var references = typeof(PortableApp).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard"
            || (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && name.EndsWith(".Abstractions", StringComparison.Ordinal)), name));
    }
}
