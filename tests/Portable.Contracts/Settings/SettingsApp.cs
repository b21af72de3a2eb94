using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Portable.Contracts.Settings;

/// <summary>
/// An app with one option bound from configuration and validated at start, for the tests that prove configuration and options
/// on each platform. <see cref="WriteAppSettings"/> puts the setting in an <c>appsettings.json</c> beside the test assembly (the
/// content root every builder reads); <see cref="SuffixVariable"/> overrides one key from the environment.
/// </summary>
public static class SettingsApp
{
    /// <summary>The section the options bind to; the file sets <c>Text</c> and <c>Suffix</c> in it.</summary>
    public const string Section = "PortableTests:Greeting";

    /// <summary>A section nothing sets, so its required <c>Text</c> is missing.</summary>
    public const string MissingSection = "PortableTests:Missing";

    /// <summary>The environment variable that overrides <c>Suffix</c>; only the test that sets it uses this key.</summary>
    public const string SuffixVariable = "PortableTests__Greeting__Suffix";

    /// <summary>The text in the file.</summary>
    public const string FileText = "hello from appsettings.json";

    /// <summary>The suffix in the file, which the environment variable replaces.</summary>
    public const string FileSuffix = "suffix from appsettings.json";

    private static readonly Lazy<bool> Written = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var content = $$"""{ "PortableTests": { "Greeting": { "Text": "{{FileText}}", "Suffix": "{{FileSuffix}}" } } }""";
        if (File.Exists(path) && File.ReadAllText(path) == content) return true;
        // Every builder in the test process reads this file: replace it in one rename, so none reads it half written.
        var temporary = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
        return true;
    });

    /// <summary>Writes the test's <c>appsettings.json</c> beside the test assembly (in one rename), once a process.</summary>
    public static void WriteAppSettings() => _ = Written.Value;

    /// <summary>Maps <c>GET /greeting</c> (<see cref="ReadGreeting"/>) and binds <see cref="GreetingOptions"/> to <paramref name="section"/>, validated at start.</summary>
    /// <param name="section"><see cref="Section"/>, or <see cref="MissingSection"/> to fail the start.</param>
    /// <returns>The configure step for a builder.</returns>
    public static Action<PortableAppBuilder> Configure(string section = Section) => builder =>
    {
        builder.AddJson(SettingsJson.Default);
        builder.Services.AddOptions<GreetingOptions>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GreetingOptions>, GreetingOptionsValidator>();
        builder.Functions.MapHttp<ReadGreeting>("GET /greeting", name: "ReadGreeting");
    };

    /// <summary>Checks what <c>GET /greeting</c> answered: the file's text and <paramref name="suffix"/>, through <c>IOptions</c> and <c>IConfiguration</c> alike.</summary>
    /// <param name="view">The answer.</param>
    /// <param name="suffix">The suffix expected (the environment's, when the test set it).</param>
    public static void AssertGreeting(GreetingView view, string suffix)
    {
        ArgumentNullException.ThrowIfNull(view);
        Xunit.Assert.Equal(FileText, view.Text);
        Xunit.Assert.Equal(suffix, view.Suffix);
        Xunit.Assert.Equal(FileText, view.ConfiguredText);
        Xunit.Assert.Equal(suffix, view.ConfiguredSuffix);
    }

    /// <summary>Sets <see cref="SuffixVariable"/> for the test's duration; dispose to remove it.</summary>
    /// <param name="value">The overriding suffix.</param>
    /// <returns>Removes the variable when disposed.</returns>
    public static IDisposable OverrideSuffix(string value)
    {
        Environment.SetEnvironmentVariable(SuffixVariable, value);
        return new Unset();
    }

    private sealed class Unset : IDisposable
    {
        public void Dispose() => Environment.SetEnvironmentVariable(SuffixVariable, null);
    }
}
