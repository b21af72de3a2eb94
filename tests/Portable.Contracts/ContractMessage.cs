namespace Portable.Contracts;

/// <summary>The message the queue contract sends.</summary>
/// <param name="Id">Identifies the message in what is received.</param>
/// <param name="Text">A text field.</param>
public sealed record ContractMessage(string Id, string Text);
