namespace Portable.Gcp.Deployment;

/// <summary>The processor an ELF executable is built for, read from its header's <c>e_machine</c> field.</summary>
internal static class ElfMachine
{
    /// <summary><c>EM_X86_64</c>.</summary>
    public const int X64 = 0x3E;

    /// <summary><c>EM_AARCH64</c>.</summary>
    public const int Arm64 = 0xB7;

    /// <summary>The file's <c>e_machine</c>, or null when it is missing or not a little-endian ELF file.</summary>
    public static int? Read(string path)
    {
        if (!File.Exists(path)) return null;
        Span<byte> header = stackalloc byte[20];
        using var file = File.OpenRead(path);
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return null;
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[5] != 1) return null;
        return header[18] | (header[19] << 8);
    }
}
