namespace Portable.Gcp.Tests.Fixtures;

/// <summary>What a deployment writer prints at publish: runs it with the console redirected and returns the text.</summary>
internal static class ConsoleCapture
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> RunAsync(Func<Task> write)
    {
        await Gate.WaitAsync(); // the console is one per process: captures never overlap
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            await write();
        }
        finally
        {
            Console.SetOut(console);
            Gate.Release();
        }

        return printed.ToString();
    }
}
