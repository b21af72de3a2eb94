namespace Portable.Hosting;

/// <summary>The architecture of a published Linux executable, from its ELF header: what the deployment writers describe (Lambda runs it on that architecture; Cloud Run and Flex Consumption only on x64).</summary>
public static class ExecutableArchitecture
{
    private const ushort X86_64 = 0x3E;
    private const ushort AArch64 = 0xB7;

    /// <summary>Reads <c>e_machine</c> of a 64-bit little-endian ELF file.</summary>
    /// <param name="path">The executable.</param>
    /// <returns>The architecture, or null when the file is absent, not such an ELF file, or for another machine.</returns>
    public static FunctionArchitecture? Read(string path)
    {
        if (!File.Exists(path)) return null;
        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return null;
        }

        // 0x7F 'E' 'L' 'F', class 2 (64-bit), data 1 (little-endian); e_machine at offset 18.
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[4] != 2 || header[5] != 1) return null;
        return (ushort)(header[18] | (header[19] << 8)) switch
        {
            X86_64 => FunctionArchitecture.X64,
            AArch64 => FunctionArchitecture.Arm64,
            _ => null,
        };
    }
}
