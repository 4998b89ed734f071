using System.CommandLine;
using InclusionMap.Data;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap [serve] [--urls …]</c>: runs the server. With no connection string, starts a private PostGIS cluster in
/// the state directory and seeds it with the open data on first start. Options this program does not know go to ASP.NET
/// Core as host settings (<c>--urls</c>, <c>--environment</c>, <c>--Key=Value</c>).
/// </summary>
public static class ServeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("serve",
            "Run the server (the default command; options it does not know, such as --urls, go to ASP.NET Core)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parse => RunAsync(global, parse));
        return command;
    }

    /// <summary>Runs the server with the command line's host arguments (its unmatched tokens).</summary>
    public static async Task<int> RunAsync(GlobalOptions global, ParseResult parse)
    {
        var hostArguments = parse.UnmatchedTokens.ToArray();
        var app = InclusionMapApp.Build(global.Catalogue(parse, hostArguments), hostArguments);
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
}
