using System.Diagnostics.CodeAnalysis;

namespace Portable.Hosting;

/// <summary>
/// Finds Portable.Hosting's <see cref="IPortableConfigurationFactory"/> by name, once a process: Core may not reference the
/// concrete configuration packages, and Portable.Hosting (which references Core) is carried by every adapter and by
/// Portable.Testing. The name is a constant, so trimming and Native AOT keep the type; this runs when a builder is created,
/// never on an invocation.
/// </summary>
internal static class ConfigurationFactoryLocator
{
    private const string TypeName = "Portable.Hosting.PortableConfigurationFactory, Portable.Hosting";
    private static IPortableConfigurationFactory? _found;

    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, "Portable.Hosting.PortableConfigurationFactory", "Portable.Hosting")]
    public static IPortableConfigurationFactory Find()
    {
        if (_found is not null) return _found;
        var type = Type.GetType(TypeName, throwOnError: false)
            ?? throw new PortableConfigurationException(
                "The app's configuration is made by Portable.Hosting, which is not in this build. Reference a platform adapter " +
                "(Portable.Local, Portable.Aws, Portable.Gcp, Portable.Azure) or Portable.Testing; each carries it.");
        return _found = (IPortableConfigurationFactory)Activator.CreateInstance(type)!;
    }
}
