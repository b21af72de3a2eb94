namespace Portable.Hosting;

/// <summary>Who may call an HTTP function once it is deployed.</summary>
public enum FunctionAccess
{
    /// <summary>
    /// The default: only authenticated callers the cloud grants access to (AWS IAM authorization, an Azure function key, a Google
    /// identity with the invoker role). The local host does not check: it listens on loopback only.
    /// </summary>
    Private,

    /// <summary>Anyone who knows the URL (<see cref="FunctionsBuilder.AllowAnonymous"/>).</summary>
    Anonymous,
}
