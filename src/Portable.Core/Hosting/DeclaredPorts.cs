namespace Portable.Hosting;

/// <summary>What the catalog resolves a function's <see cref="FunctionUses"/> from: its constructors' ports (read on demand) and its declarations.</summary>
/// <param name="Constructor">Reads the handler's constructor ports.</param>
/// <param name="Repositories">The document types of <see cref="FunctionsBuilder.UsesRepository{T}"/>.</param>
/// <param name="Publishes">The topics of <see cref="FunctionsBuilder.Publishes"/>.</param>
/// <param name="Buckets">The buckets of <see cref="FunctionsBuilder.UsesBucket"/>.</param>
internal sealed record DeclaredPorts(Func<ConstructorPorts> Constructor, IReadOnlyList<Type> Repositories, IReadOnlyList<string> Publishes, IReadOnlyList<string> Buckets)
{
    public static DeclaredPorts None { get; } = new(() => new ConstructorPorts([], [], false, []), [], [], []);
}
