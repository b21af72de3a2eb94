using System.Reflection;

namespace Orders.Tests;

public sealed class ArchitectureTests
{
    private static bool IsAllowed(AssemblyName name)
        => name.Name is "Portable.Core" or "netstandard"
           || name.Name!.StartsWith("System", StringComparison.Ordinal)
           || (name.Name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && name.Name.EndsWith(".Abstractions", StringComparison.Ordinal));

    /// <summary>Business code may also bind and validate its settings as any .NET app does (options and the configuration binder): no cloud in them.</summary>
    private static bool IsAllowedInBusinessCode(AssemblyName name)
        => IsAllowed(name) || name.Name is "Microsoft.Extensions.Options" or "Microsoft.Extensions.Options.ConfigurationExtensions"
               or "Microsoft.Extensions.Configuration" or "Microsoft.Extensions.Configuration.Binder"; // the binder source generator's code calls both

    [Fact]
    public void BusinessCode_ReferencesOnlyPortableCoreAbstractionsAndOptions()
    {
        var references = typeof(OrdersApp).Assembly.GetReferencedAssemblies();
        Assert.Contains(references, r => r.Name == "Portable.Core");
        Assert.All(references, r => Assert.True(IsAllowedInBusinessCode(r), $"Orders.Functions references {r.Name}"));
        Assert.All(typeof(OrdersApp).Assembly.GetTypes().SelectMany(t => t.GetInterfaces()).Select(i => i.Namespace ?? ""),
            ns => Assert.True(ns.StartsWith("Portable", StringComparison.Ordinal) || ns.StartsWith("System", StringComparison.Ordinal), ns));
    }

    [Fact]
    public void PortableCore_ReferencesOnlyAbstractionsAndSystem()
    {
        var references = typeof(Portable.PortableApp).Assembly.GetReferencedAssemblies();
        Assert.All(references, r => Assert.True(IsAllowed(r) && r.Name != "Portable.Core", $"Portable.Core references {r.Name}"));
    }

    [Fact]
    public void PortableCore_ProjectFile_ReferencesOnlyAbstractionPackages()
    {
        var project = File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "Portable.Core", "Portable.Core.csproj"));
        var packages = System.Text.RegularExpressions.Regex.Matches(project, "PackageReference Include=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(packages);
        Assert.All(packages, p => Assert.Matches(@"^(Microsoft\.Extensions\..+\.Abstractions|System\..+)$", p));
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
    }
}
