using NSubstitute;
using Portable.Hosting;

namespace Portable.Core.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PortablePlatformsCollection
{
    public const string Name = "PortablePlatforms registry";
}

/// <summary>
/// <see cref="PortablePlatforms"/> is a process-wide registry with no way to unregister, so these tests run alone and never depend on
/// what an earlier test registered: every cloud substitute has a unique name and is detected only by its own unique variable, and
/// "local" is re-registered (replacing the previous one) by each test that needs it.
/// </summary>
[Collection(PortablePlatformsCollection.Name)]
public sealed class PortablePlatformsTests
{
    private static IPortablePlatform Platform(string name, string? detectedBy = null)
    {
        var platform = Substitute.For<IPortablePlatform>();
        platform.Name.Returns(name);
        platform.IsDetected(Arg.Any<Func<string, string?>>())
            .Returns(call => detectedBy is not null && call.Arg<Func<string, string?>>()(detectedBy) is not null);
        PortablePlatforms.Register(platform);
        return platform;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
        => name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Register_SameNameTwice_ReplacesFirst()
    {
        var name = Unique("cloud");
        var first = Platform(name);
        var second = Platform(name);

        var registered = PortablePlatforms.Registered.Where(p => p.Name == name).ToList();

        Assert.Same(second, Assert.Single(registered));
        Assert.DoesNotContain(first, PortablePlatforms.Registered);
    }

    [Fact]
    public void Select_PlatformArgument_WinsOverEnvironmentVariableAndDetection()
    {
        var named = Platform(Unique("cloud"));
        var fromVariable = Platform(Unique("cloud"));
        var detectedBy = Unique("VAR");
        Platform(Unique("cloud"), detectedBy);

        var selected = PortablePlatforms.Select(
            ["--verbose", "--platform", named.Name], Environment(("PORTABLE_PLATFORM", fromVariable.Name), (detectedBy, "1")));

        Assert.Same(named, selected);
    }

    [Fact]
    public void Select_PortablePlatformVariable_WinsOverDetection()
    {
        var fromVariable = Platform(Unique("cloud"));
        var detectedBy = Unique("VAR");
        Platform(Unique("cloud"), detectedBy);

        var selected = PortablePlatforms.Select([], Environment(("PORTABLE_PLATFORM", fromVariable.Name), (detectedBy, "1")));

        Assert.Same(fromVariable, selected);
    }

    [Fact]
    public void Select_NameInOtherCase_IsFound()
    {
        var named = Platform(Unique("cloud"));

        Assert.Same(named, PortablePlatforms.Select(["--platform", named.Name.ToUpperInvariant()], Environment()));
    }

    [Fact]
    public void Select_PlatformArgumentWithoutValue_FallsBackToVariable()
    {
        var fromVariable = Platform(Unique("cloud"));

        Assert.Same(fromVariable, PortablePlatforms.Select(["--platform"], Environment(("PORTABLE_PLATFORM", fromVariable.Name))));
    }

    [Fact]
    public void Select_DetectedCloudPlatform_WinsOverLocal()
    {
        var local = Platform("local", detectedBy: "PATH");
        var detectedBy = Unique("VAR");
        var cloud = Platform(Unique("cloud"), detectedBy);

        var selected = PortablePlatforms.Select([], Environment(("PATH", "/bin"), (detectedBy, "1")));

        Assert.Same(cloud, selected);
        Assert.NotSame(local, selected);
    }

    [Fact]
    public void Select_NothingNamedOrDetected_FallsBackToLocal()
    {
        var local = Platform("local");
        Platform(Unique("cloud"), Unique("VAR"));

        Assert.Same(local, PortablePlatforms.Select([], Environment(("PORTABLE_PLATFORM", "  "))));
    }

    [Fact]
    public void Select_NamedPlatformNotCarried_ThrowsListingCarriedPlatforms()
    {
        var carried = Platform(Unique("cloud"));
        var missing = Unique("Missing");

        var e = Assert.Throws<PortableConfigurationException>(() => PortablePlatforms.Select(["--platform", missing], Environment()));

        Assert.Contains($"Platform '{missing}' was asked for, but this build carries only: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(carried.Name, e.Message, StringComparison.Ordinal);
        Assert.Contains($"-p:PortableTarget={missing.ToLowerInvariant()}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => PortablePlatforms.Select(null!, Environment()));
        Assert.Throws<ArgumentNullException>(() => PortablePlatforms.Select([], null!));
    }
}
