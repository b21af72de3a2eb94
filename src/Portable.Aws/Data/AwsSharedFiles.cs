namespace Portable.Aws.Data;

/// <summary>
/// The AWS shared files: <c>~/.aws/credentials</c> (<c>AWS_SHARED_CREDENTIALS_FILE</c>), sections named by profile, and
/// <c>~/.aws/config</c> (<c>AWS_CONFIG_FILE</c>), sections <c>[default]</c> and <c>[profile NAME]</c>. The profile is
/// <c>AWS_PROFILE</c>, else <c>default</c>.
/// </summary>
internal sealed class AwsSharedFiles(Func<string, string?> environment)
{
    public string Profile => environment("AWS_PROFILE") is { Length: > 0 } profile ? profile : "default";

    /// <summary>The profile's settings from both files, the credentials file winning.</summary>
    public IReadOnlyDictionary<string, string> Read()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var profile = Profile;
        var config = Section(environment("AWS_CONFIG_FILE") ?? Default("config"), profile == "default" ? "default" : "profile " + profile);
        foreach (var (key, value) in config) settings[key] = value;
        foreach (var (key, value) in Section(environment("AWS_SHARED_CREDENTIALS_FILE") ?? Default("credentials"), profile)) settings[key] = value;
        return settings;
    }

    private string Default(string file)
    {
        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".aws", file);
    }

    /// <summary>The key/value lines of one <c>[section]</c> of an INI file; empty when the file or section is missing.</summary>
    internal static Dictionary<string, string> Section(string path, string section)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return values;
        var inside = false;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[')
            {
                inside = string.Equals(line.TrimStart('[').TrimEnd(']').Trim(), section, StringComparison.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (inside && equals > 0) values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return values;
    }
}
