return await InclusionMap.Server.Cli.InclusionMapCli.RunAsync(args);
