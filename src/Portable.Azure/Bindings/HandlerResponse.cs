namespace Portable.Azure.Bindings;

/// <summary>The handler's answer to one <c>POST /{FunctionName}</c>: a status (2xx means the invocation succeeded) and the JSON <c>{"Outputs","Logs","ReturnValue"}</c>.</summary>
/// <param name="StatusCode">The HTTP status the handler answers with.</param>
/// <param name="Body">The JSON body.</param>
internal sealed record HandlerResponse(int StatusCode, byte[] Body);
