using InclusionMap.Data;
using InclusionMap.Server;
using InclusionMap.Server.Catalogue;

try
{
    var line = CommandLine.Parse(args);
    if (line.Verb == "help" || line.Has("--help") || line.Has("-h"))
    {
        Console.WriteLine(CommandLine.Usage);
        return 0;
    }
    return line.Verb switch
    {
        "import" => await ImportCommand.RunAsync(line),
        "dedup" => await DedupCommand.RunAsync(line),
        "export" => await ExportCommand.RunAsync(line),
        "gaps" => await GapsCommand.RunAsync(line),
        _ => await ServeAsync(line),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

static async Task<int> ServeAsync(CommandLine line)
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var settings = CatalogueSettings.From(configuration, line);
    var app = InclusionMapApp.Build(settings, [.. line.HostArguments]);
    var state = app.Services.GetRequiredService<CatalogueState>();
    try
    {
        await app.RunAsync();
    }
    catch (StateDirectoryInUseException e)
    {
        Console.Error.WriteLine(e.Message);
        return 3;
    }
    catch (Exception e) when (e is InvalidOperationException or IOException && state.Phase == "starting-database")
    {
        Console.Error.WriteLine($"The private PostgreSQL cluster could not start: {e.Message}");
        return 1;
    }
    return state.Failure is null ? 0 : 1;
}
