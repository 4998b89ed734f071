using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Catalogue;

/// <summary>
/// The catalogue for what the web writes (accounts, sign-ins, the audit log, Data Protection keys; later reports and
/// edits): the same model as <see cref="CatalogueDbContext"/>, on the primary through the editor role
/// (<see cref="CatalogueDataSources.WebWrites"/>), never on the read data source that replicas may serve. Its own type
/// so that dependency injection tells it from the API's read context.
/// </summary>
public sealed class CatalogueWriteDbContext(DbContextOptions<CatalogueWriteDbContext> options) : CatalogueDbContext(options);
