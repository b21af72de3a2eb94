using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portable.Templates.Tests;

/// <summary>
/// The generated README's deploy lines are the ones the publish itself prints or writes, and they find the published files.
/// Each test reuses the fixture's one publish per cloud.
/// </summary>
[Collection("template")]
public sealed class ReadmeDeployLinesTests(TemplateFixture fixture)
{
    [Fact]
    public async Task ReadmeAwsLine_IsTheSamDeployLineThePublishPrints_AndNamesTheWrittenTemplate()
    {
        var (_, project, _, log) = await fixture.PublishAsync("aws");
        var readme = ReadmeCommands(project, "### AWS Lambda");

        var printed = Regex.Match(log, @"Deploy with: (sam deploy .*?)\s*$", RegexOptions.Multiline);
        Assert.True(printed.Success, "The AWS publish printed no 'Deploy with:' line:\n" + log);
        var fromProjectRoot = printed.Groups[1].Value.Replace(project + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
        Assert.Equal([fromProjectRoot], readme);

        var template = Regex.Match(readme[0], @"--template-file (\S+)").Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(project, template)), $"The README deploys {template}, which the publish did not write.");
    }

    [Fact]
    public async Task ReadmeGoogleLines_RunTheWrittenDeployScript_WhichDeploysOneServiceWithItsFunctionTarget()
    {
        var (_, project, output, _) = await fixture.PublishAsync("gcp");
        var readme = ReadmeCommands(project, "### Google Cloud");

        Assert.Equal("cd out/gcp", readme[0]);
        Assert.Equal(Path.Combine(project, "out", "gcp"), output);
        Assert.True(File.Exists(Path.Combine(output, "Dockerfile")), "The folder the README deploys from has no Dockerfile.");
        var guide = Commands(await File.ReadAllLinesAsync(Path.Combine(output, "gcp-deploy.md")), "```sh", firstBlockOnly: true);
        Assert.Equal(guide, readme.Skip(1));

        // gcloud is a stand-in that records its arguments (tab-separated, one call a line), finds nothing it is asked to describe
        // and answers the URL query; bash runs the README's lines from the project folder, as a user would.
        var bin = Directory.CreateDirectory(Path.Combine(fixture.Root, "gcloud-stand-in")).FullName;
        var record = Path.Combine(bin, "gcloud.calls");
        File.Delete(record);
        var gcloud = Path.Combine(bin, "gcloud");
        await File.WriteAllTextAsync(gcloud,
            $"#!/bin/sh\nprintf '%s\\t' \"$@\" >> '{record}'\necho >> '{record}'\ncase \"$*\" in *describe*value*) echo https://stand-in.a.run.app ;; *describe*) exit 1 ;; esac\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(gcloud, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = string.Join('\n', ["set -eu", .. readme]);
        var path = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        await TemplateFixture.RunAsync(project, new Dictionary<string, string> { ["PATH"] = path }, "bash", "-c", script);

        var calls = (await File.ReadAllLinesAsync(record)).Select(l => l.Split('\t')).ToList();
        var deploys = calls.Where(c => c.Length > 2 && c[0] == "run" && c[1] == "deploy").ToList();
        Assert.Equal(["FUNCTION_TARGET=RegisterCustomer"], deploys.Select(d => Regex.Match(string.Join(' ', d), @"FUNCTION_TARGET=\w+").Value));
        Assert.Single(calls, c => c.Length > 1 && c[0] == "builds" && c[1] == "submit");
    }

    [Fact]
    public async Task ReadmeAzureLines_ZipThePublishedHandlerAndEveryFunction_WithoutLocalSettings_AndDeployThatZip()
    {
        var (_, project, output, _) = await fixture.PublishAsync("azure");
        var readme = ReadmeCommands(project, "### Azure Functions");

        // az is a stand-in that records its working folder and arguments; zip is the real one.
        var bin = Directory.CreateDirectory(Path.Combine(fixture.Root, "stand-ins")).FullName;
        var record = Path.Combine(bin, "az.args");
        var az = Path.Combine(bin, "az");
        await File.WriteAllTextAsync(az, $"#!/bin/sh\nprintf '%s\\n' \"$PWD\" \"$@\" > '{record}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = string.Join('\n', ["set -eu", .. readme]).Replace("<resource-group>", "rg", StringComparison.Ordinal).Replace("<function-app>", "app", StringComparison.Ordinal);
        var path = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        await TemplateFixture.RunAsync(project, new Dictionary<string, string> { ["PATH"] = path }, "bash", "-c", script);

        var recorded = await File.ReadAllLinesAsync(record);
        Assert.Equal(output, recorded[0]);
        var arguments = recorded[1..];
        Assert.Equal(["functionapp", "deployment", "source", "config-zip"], arguments[..4]);
        var source = arguments[Array.IndexOf(arguments, "--src") + 1];
        using var zip = await ZipFile.OpenReadAsync(Path.GetFullPath(Path.Combine(recorded[0], source)));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        using var host = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "host.json")));
        var executable = host.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        var functions = Directory.GetFiles(output, "function.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).ToList();
        Assert.Contains("RegisterCustomer/function.json", functions);
        Assert.All((string[])["host.json", executable, .. functions], e => Assert.Contains(e, entries));
        Assert.DoesNotContain("local.settings.json", entries);
        Assert.DoesNotContain(entries, e => e.EndsWith(".dbg", StringComparison.Ordinal) || e.EndsWith(".pdb", StringComparison.Ordinal));
    }

    /// <summary>The commands of the first bash block under a heading of the generated README.</summary>
    private static List<string> ReadmeCommands(string project, string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(project, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"The generated README has no '{heading}' section.");
        var block = Commands(lines[start..], "```bash", firstBlockOnly: true);
        Assert.NotEmpty(block);
        return block;
    }

    /// <summary>The commands in fenced blocks opened by <paramref name="fence"/>, a line continued with a backslash joined to the next.</summary>
    private static List<string> Commands(IEnumerable<string> lines, string fence, bool firstBlockOnly = false)
    {
        var commands = new List<string>();
        var inside = false;
        var pending = "";
        foreach (var line in lines)
        {
            if (!inside)
            {
                inside = line.Trim() == fence;
                continue;
            }

            if (line.Trim() == "```")
            {
                inside = false;
                if (firstBlockOnly) break;
                continue;
            }

            if (line.TrimEnd().EndsWith('\\'))
            {
                pending += line.TrimEnd().TrimEnd('\\').Trim() + " ";
                continue;
            }

            commands.Add(pending + line.Trim());
            pending = "";
        }

        return commands;
    }
}
