using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Portable.Hosting;

namespace Portable.Aws.Deployment;

/// <summary>
/// Writes what <c>sam deploy</c> needs into the publish folder: <c>bootstrap</c> (the Native AOT executable itself; for a JIT
/// build, a script that starts the app host), the deployment zip <c>{App}.zip</c> with <c>bootstrap</c> executable, and
/// <c>template.yaml</c> pointing at the zip.
/// </summary>
internal static class SamDeployment
{
    public static async Task WriteAsync(FunctionCatalog catalog, string directory, string? processPath, CancellationToken cancellationToken, string? responseStreaming = null)
    {
        Directory.CreateDirectory(directory);
        var zipName = catalog.AppName + ".zip";
        var executable = processPath is not null && Path.GetFileNameWithoutExtension(processPath) is { } name && !string.Equals(name, "dotnet", StringComparison.Ordinal)
            ? Path.Combine(directory, Path.GetFileName(processPath))
            : Path.Combine(directory, catalog.AppName);

        // What was published, read from the folder rather than from this process: an arm64 publish is written by the app's IL run
        // on the build machine (Portable.Core.targets), so the process is neither native nor arm64 there.
        var aot = !RuntimeFeature.IsDynamicCodeSupported
            || (File.Exists(executable) && !File.Exists(Path.Combine(directory, Path.GetFileNameWithoutExtension(executable) + ".dll")));
        var architecture = ExecutableArchitecture.Read(executable) ?? (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? FunctionArchitecture.Arm64 : FunctionArchitecture.X64);
        var bootstrap = Path.Combine(directory, "bootstrap");
        if (aot && File.Exists(executable))
        {
            File.Copy(executable, bootstrap, overwrite: true);
        }
        else
        {
            await File.WriteAllTextAsync(bootstrap, $"#!/bin/sh\n# JIT build: publish self-contained (--self-contained) so provided.al2023 needs no .NET install.\nexec \"$(dirname \"$0\")/{Path.GetFileName(executable)}\" \"$@\"\n", Encoding.ASCII, cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(bootstrap, (UnixFileMode)0b111_101_101);

        var zipPath = Path.Combine(directory, zipName);
        File.Delete(zipPath);
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            var files = aot
                ? [bootstrap, .. Directory.GetFiles(directory, "appsettings*.json")] // the settings are read beside the executable, as everywhere
                : Directory.GetFiles(directory).Where(f => !f.EndsWith(".zip", StringComparison.Ordinal) && !f.EndsWith(".yaml", StringComparison.Ordinal) && !f.EndsWith(".pdb", StringComparison.Ordinal) && !f.EndsWith(".dbg", StringComparison.Ordinal)).ToArray();
            foreach (var file in files)
            {
                var entry = zip.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Optimal);
                var executableBits = Path.GetFileName(file) == "bootstrap" || file == executable;
                entry.ExternalAttributes = (int)((executableBits ? 0b1000_000_111_101_101u : 0b1000_000_110_100_100u) << 16);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "template.yaml"), SamTemplate.Build(catalog, zipName, architecture, responseStreaming), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"Portable.Aws wrote bootstrap, {zipName} and template.yaml to {directory} ({(aot ? "Native AOT" : "JIT")}, {SamTemplate.Architecture(architecture)}). Deploy with: sam deploy --guided --template-file {Path.Combine(directory, "template.yaml")}").ConfigureAwait(false);
    }
}
