using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Portable.Hosting;

/// <summary>
/// Runs the options validations registered with <c>ValidateOnStart()</c> (the container's <see cref="IStartupValidator"/>), as
/// the generic host does at start. Every platform calls it once its container is built, before it takes the first invocation.
/// </summary>
public static class StartupValidation
{
    /// <summary>Validates every option registered with <c>ValidateOnStart()</c>.</summary>
    /// <param name="services">The built container.</param>
    /// <exception cref="PortableConfigurationException">An option failed; the message names each option type and its failures on one line.</exception>
    public static void Validate(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var validator = services.GetService<IStartupValidator>();
        if (validator is null) return;
        try
        {
            validator.Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new PortableConfigurationException(Describe([e]), e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            throw new PortableConfigurationException(Describe([.. e.InnerExceptions.Cast<OptionsValidationException>()]), e);
        }
    }

    private static string Describe(IReadOnlyList<OptionsValidationException> failures)
        => "Invalid configuration: " + string.Join(" ", failures.Select(f =>
            $"options {f.OptionsType.Name}{(string.IsNullOrEmpty(f.OptionsName) ? "" : $" '{f.OptionsName}'")}: {string.Join("; ", f.Failures.Select(m => m.TrimEnd('.')))}.")) +
           " Fix the setting in appsettings.json, an environment variable or the command line.";
}
