using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Portable.Contracts.Settings;

/// <summary>A setting every platform's test reads: <see cref="Text"/> from <c>appsettings.json</c>, <see cref="Suffix"/> overridden by an environment variable.</summary>
public sealed class GreetingOptions
{
    /// <summary>Required: a section without it fails the start.</summary>
    [Required]
    public string? Text { get; set; }

    /// <summary>Optional.</summary>
    public string? Suffix { get; set; }
}

/// <summary>The source-generated validator of <see cref="GreetingOptions"/>.</summary>
[OptionsValidator]
public sealed partial class GreetingOptionsValidator : IValidateOptions<GreetingOptions>;
