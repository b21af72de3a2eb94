namespace Portable.Hosting;

/// <summary>
/// Input breaks one of the <see cref="PortRules"/> (a document id, a document size): the caller's error, so
/// <see cref="FunctionExecutor"/> answers it as invalid input (400 / dead-letter at once) instead of a failure.
/// Only this type is treated so; other <see cref="ArgumentException"/>s from function code stay failures.
/// </summary>
internal sealed class PortRuleException(string message, string paramName) : ArgumentException(message, paramName);
