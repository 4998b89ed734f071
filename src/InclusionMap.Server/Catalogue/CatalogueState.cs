
namespace InclusionMap.Server.Catalogue;

/// <summary>Where the catalogue is in its start-up; <c>/health</c> answers 200 only once <see cref="Ready"/>.</summary>
public sealed class CatalogueState
{
    private volatile string _phase = "starting";
    public string Phase => _phase;
    public bool Ready => _phase == "ready";
    public Exception? Failure { get; private set; }
    internal void Enter(string phase) => _phase = phase;
    internal void Fail(Exception e) { Failure = e; _phase = "failed"; }
}
