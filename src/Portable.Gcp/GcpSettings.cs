using System.Globalization;

namespace Portable.Gcp;

/// <summary>
/// How the GCP host runs, read from the variables Cloud Run functions sets (and the Functions Framework's command-line options):
/// <c>PORT</c>, <c>FUNCTION_TARGET</c> / <c>--target</c>, <c>FUNCTION_SIGNATURE_TYPE</c> / <c>--signature-type</c>,
/// <c>K_SERVICE</c> or <c>DOTNET_RUNNING_IN_CONTAINER</c> for the bind address, and the project id.
/// </summary>
internal sealed class GcpSettings
{
    public static readonly string[] SignatureTypes = ["http", "event", "cloudevent", "typed"];

    public int Port { get; init; } = 8080;

    public string? Target { get; init; }

    public string? SignatureType { get; init; }

    public bool BindAllAddresses { get; init; }

    public string? ProjectId { get; init; }

    /// <summary>The environment variable that lowers the body limit (<c>Portable:Gcp:MaxRequestBodyBytes</c> in configuration terms).</summary>
    public const string MaxRequestBodyBytesVariable = "Portable__Gcp__MaxRequestBodyBytes";

    /// <summary>The largest request body accepted: Cloud Run's 32 MiB unless <see cref="MaxRequestBodyBytesVariable"/> says less.</summary>
    public long MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary><c>FIRESTORE_EMULATOR_HOST</c> (host:port): Firestore over plain HTTP, without credentials.</summary>
    public string? FirestoreEmulatorHost { get; init; }

    /// <summary><c>PUBSUB_EMULATOR_HOST</c> (host:port): Pub/Sub over plain HTTP, without credentials.</summary>
    public string? PubSubEmulatorHost { get; init; }

    /// <summary>
    /// <c>STORAGE_EMULATOR_HOST</c> (<c>host:port</c> or a URL, as Google's own clients read it): Cloud Storage's JSON API at that
    /// address over plain HTTP (unless the URL says https), without credentials; signed URLs point there too.
    /// </summary>
    public string? StorageEmulatorHost { get; init; }

    /// <summary>The environment variable naming a service account key file (JSON) that signs Cloud Storage URLs (<c>Portable:Gcp:SigningKeyFile</c>).</summary>
    public const string SigningKeyFileVariable = "Portable__Gcp__SigningKeyFile";

    /// <summary>
    /// A service account key file (JSON, with <c>client_email</c> and a PKCS#8 <c>private_key</c>) that signs Cloud Storage V4 URLs
    /// locally; unless set, a <c>GOOGLE_APPLICATION_CREDENTIALS</c> service account key does, else the IAM Credentials API.
    /// </summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>The IAM Service Account Credentials API (<c>signBlob</c>), overridable for tests.</summary>
    public string IamCredentialsBase { get; init; } = "https://iamcredentials.googleapis.com/";

    /// <summary>
    /// A declared bucket's configured physical name, <c>PORTABLE_BUCKET_{NAME}</c> (the name upper-cased, other characters as
    /// <c>_</c>, as on AWS), or null for the name deploy.sh gives it, <c>{project}-{name}</c>.
    /// </summary>
    public Func<string, string?> BucketOverride { get; init; } = _ => null;

    /// <summary>The Firestore database id (<c>FIRESTORE_DATABASE</c>); <c>(default)</c> unless set.</summary>
    public string FirestoreDatabase { get; init; } = "(default)";

    /// <summary>The metadata server (<c>GCE_METADATA_HOST</c>), <c>metadata.google.internal</c> unless set.</summary>
    public string MetadataHost { get; init; } = "metadata.google.internal";

    /// <summary>A credentials file (<c>GOOGLE_APPLICATION_CREDENTIALS</c>): a service account key or an authorized user.</summary>
    public string? CredentialsFile { get; init; }

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static GcpSettings Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var portText = Option(args, "--port") ?? environment("PORT");
        var port = 8080;
        if (!string.IsNullOrWhiteSpace(portText)
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new PortableConfigurationException($"PORT is '{portText}', which is not a port number (0 to 65535).");
        }

        var signature = (Option(args, "--signature-type") ?? environment("FUNCTION_SIGNATURE_TYPE"))?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(signature)) signature = null;
        if (signature is not null && !SignatureTypes.Contains(signature))
        {
            throw new PortableConfigurationException($"FUNCTION_SIGNATURE_TYPE is '{signature}'. Use {string.Join(", ", SignatureTypes)}.");
        }

        var limitText = environment(MaxRequestBodyBytesVariable);
        long limit = 32 * 1024 * 1024;
        if (!string.IsNullOrWhiteSpace(limitText)
            && (!long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0))
        {
            throw new PortableConfigurationException($"{MaxRequestBodyBytesVariable} is '{limitText}'; give a positive number of bytes.");
        }

        return new GcpSettings
        {
            Port = port,
            MaxRequestBodyBytes = limit,
            Target = NullIfEmpty(Option(args, "--target") ?? environment("FUNCTION_TARGET")),
            SignatureType = signature,
            BindAllAddresses = !string.IsNullOrEmpty(environment("K_SERVICE")) || !string.IsNullOrEmpty(environment("DOTNET_RUNNING_IN_CONTAINER")),
            ProjectId = NullIfEmpty(environment("GOOGLE_CLOUD_PROJECT") ?? environment("GCP_PROJECT") ?? environment("GCLOUD_PROJECT")),
            FirestoreEmulatorHost = NullIfEmpty(environment("FIRESTORE_EMULATOR_HOST")),
            PubSubEmulatorHost = NullIfEmpty(environment("PUBSUB_EMULATOR_HOST")),
            FirestoreDatabase = NullIfEmpty(environment("FIRESTORE_DATABASE")) ?? "(default)",
            MetadataHost = NullIfEmpty(environment("GCE_METADATA_HOST")) ?? "metadata.google.internal",
            CredentialsFile = NullIfEmpty(environment("GOOGLE_APPLICATION_CREDENTIALS")),
            StorageEmulatorHost = NullIfEmpty(environment("STORAGE_EMULATOR_HOST")),
            SigningKeyFile = NullIfEmpty(environment(SigningKeyFileVariable)),
            BucketOverride = bucket => NullIfEmpty(environment(BucketVariable(bucket))),
        };
    }

    /// <summary>The variable that names a declared bucket's physical bucket: <c>PORTABLE_BUCKET_RECEIPTS</c> for <c>receipts</c>.</summary>
    public static string BucketVariable(string bucket)
        => "PORTABLE_BUCKET_" + new string(bucket.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == name && i + 1 < args.Count) return args[i + 1];
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal)) return args[i][(name.Length + 1)..];
        }

        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
