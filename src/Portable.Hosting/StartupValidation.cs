using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Portable.Hosting;

/// <summary>
/// Runs the options validations registered with <c>ValidateOnStart()</c> (the container's <see cref="IStartupValidator"/>), as
/// the generic host does at start, and checks that every secret the app declared has a value. Every platform calls it once its
/// container is built, before it takes the first invocation.
/// </summary>
public static class StartupValidation
{
    /// <summary>Validates every option registered with <c>ValidateOnStart()</c> and every declared secret.</summary>
    /// <param name="services">The built container.</param>
    /// <exception cref="PortableConfigurationException">An option failed, or a declared secret has no value; the message names each on one line.</exception>
    public static void Validate(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<PortableApp>() is { } app) ValidateSecrets(app.Catalog, app.Configuration);
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

    /// <summary>Checks that every secret declared with <c>builder.Resources.AddSecret</c> has a non-empty value in the configuration.</summary>
    /// <param name="catalog">The app's catalog.</param>
    /// <param name="configuration">The app's configuration.</param>
    /// <exception cref="PortableConfigurationException">A declared secret has no value; the message names each and says where it comes from.</exception>
    public static void ValidateSecrets(FunctionCatalog catalog, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(configuration);
        var missing = catalog.Secrets.Where(name => string.IsNullOrEmpty(configuration[name])).ToList();
        if (missing.Count == 0) return;
        throw new PortableConfigurationException(
            $"The declared secret{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(n => $"'{n}'"))} (builder.Resources.AddSecret) " +
            $"{(missing.Count == 1 ? "has" : "have")} no value. Locally: `dotnet user-secrets set {missing[0]} VALUE` in the project folder " +
            $"(Development environment), or the environment variable {missing[0]}. Deployed: the deployment file reads it from the cloud's " +
            "secret store (AWS Secrets Manager, Google Secret Manager, Azure Key Vault); check that the secret exists there under the name " +
            "the template's parameter gives and that the function may read it.");
    }

    private static string Describe(IReadOnlyList<OptionsValidationException> failures)
        => "Invalid configuration: " + string.Join(" ", failures.Select(f =>
            $"options {f.OptionsType.Name}{(string.IsNullOrEmpty(f.OptionsName) ? "" : $" '{f.OptionsName}'")}: {string.Join("; ", f.Failures.Select(m => m.TrimEnd('.')))}.")) +
           " Fix the setting in appsettings.json, an environment variable or the command line.";
}
