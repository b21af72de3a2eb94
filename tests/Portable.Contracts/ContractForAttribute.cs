namespace Portable.Contracts;

/// <summary>Names the implementation a contract subclass tests, so <see cref="ContractCoverage"/> can check that none is missing.</summary>
/// <param name="implementation">The implementation type; an open generic type such as <c>typeof(SqsQueue&lt;&gt;)</c> for a generic one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ContractForAttribute(Type implementation) : Attribute
{
    /// <summary>The implementation type.</summary>
    public Type Implementation { get; } = implementation;
}
