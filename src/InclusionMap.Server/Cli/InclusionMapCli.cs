using System.CommandLine;

namespace InclusionMap.Server.Cli;

/// <summary>
/// The command line: <c>inclusionmap [command] [options]</c>, parsed by System.CommandLine (its help and its errors).
/// With no command, the server runs. Every command reads the one host configuration (<see cref="GlobalOptions"/>).
/// </summary>
public static class InclusionMapCli
{
    /// <summary>Exit code of a command-line mistake.</summary>
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        var global = new GlobalOptions();
        var root = new RootCommand("InclusionMap: the map and directory of places offering digital help in France.");
        global.AddTo(root);
        var serve = ServeCommand.Create(global);
        root.Subcommands.Add(serve);
        root.Subcommands.Add(ImportCommand.Create(global));
        root.Subcommands.Add(DedupCommand.Create(global));
        root.Subcommands.Add(ExportCommand.Create(global));
        root.Subcommands.Add(GapsCommand.Create(global));
        root.Subcommands.Add(SourceCommand.Create(global));
        root.Subcommands.Add(BackupCommand.Create(global));
        root.Subcommands.Add(BackupCommand.CreateRestore(global));
        root.Subcommands.Add(UserCommand.Create(global));
        root.Subcommands.Add(AuditCommand.Create(global));
        var help = new Command("help", "Show this help");
        help.SetAction(_ => root.Parse("--help").Invoke());
        root.Subcommands.Add(help);
        return root;
    }

    /// <summary>Parses and runs a command line; mistakes are reported on stderr with exit code <see cref="UsageError"/>.</summary>
    public static async Task<int> RunAsync(string[] args) => await RunAsync(Create(), args);

    /// <summary>
    /// Parses a command line; with no command (none, or options only), the server's: <c>inclusionmap --urls …</c> serves.
    /// </summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) =>
        root.Parse(args.Count == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "-?" or "--help" or "--version"))
            ? ["serve", .. args]
            : args);

    private static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = Parse(root, args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
            Console.Error.WriteLine("See 'inclusionmap --help'.");
            return UsageError;
        }
        try
        {
            // The commands handle Ctrl-C and SIGTERM themselves (a server stops its cluster; an import rolls back), and
            // report their own failures: a usage mistake found late reaches the catch below.
            return await parse.InvokeAsync(
                new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("See 'inclusionmap --help'.");
            return UsageError;
        }
    }
}
