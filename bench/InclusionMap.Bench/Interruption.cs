using System.Runtime.InteropServices;

namespace InclusionMap.Bench;

/// <summary>
/// Ctrl-C or SIGTERM in the middle of a run: child processes are stopped, then the private cluster, then the process
/// exits (130), so an interrupted benchmark leaves no server, peer or PostgreSQL behind.
/// </summary>
public static class Interruption
{
    private static readonly List<Func<Task>> Cleanups = [];
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _done;

    public static void Register(Func<Task> cleanup)
    {
        lock (Cleanups)
        {
            Cleanups.Add(cleanup);
            if (Registrations.Count > 0) return;
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
                Registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    if (Interlocked.Exchange(ref _done, 1) == 1) return;
                    Console.Error.WriteLine("Interrupted: stopping the server, the peer and the private cluster ...");
                    ChildProcess.StopAll();
                    List<Func<Task>> cleanups;
                    lock (Cleanups) cleanups = [.. Cleanups];
                    foreach (var c in cleanups)
                    {
                        try
                        {
                            c().GetAwaiter().GetResult();
                        }
                        catch (Exception e)
                        {
                            Console.Error.WriteLine("Cleanup failed: " + e.Message);
                        }
                    }
                    Environment.Exit(130);
                }));
        }
    }
}
