using System.Collections;
using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Validator;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using Microsoft.AspNetCore.WebUtilities;
using InclusionMap.Core.Places;
using InclusionMap.Data.Sites;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace InclusionMap.Server.OData;

/// <summary>
/// Runs an OData query over an EF source with our own paging, so that every page is read asynchronously inside the
/// action (errors become 400s, not broken responses) and the next links use <c>$skip</c> over a key-completed order:
/// following them yields every row exactly once. (<c>$skiptoken</c> is off: its tokens compare rounded values of
/// computed orders such as distances and can skip or repeat rows.)
/// </summary>
public static class FeedQuery
{
    public const int MaxTop = 1000;
    public const int MaxSkip = 1_000_000;

    public static readonly ODataValidationSettings Validation = new()
    {
        MaxTop = MaxTop,
        MaxSkip = MaxSkip,
        MaxExpansionDepth = 2,
        MaxNodeCount = 100,
        MaxAnyAllExpressionDepth = 2,
        MaxOrderByNodeCount = 5,
        AllowedFunctions =
            AllowedFunctions.AllFunctions & ~(AllowedFunctions.MatchesPattern | AllowedFunctions.Cast | AllowedFunctions.IsOf),
    };

    private static ODataQuerySettings Settings(int? pageSize = null) => new()
    {
        EnsureStableOrdering = false,
        HandleNullPropagation = HandleNullPropagationOption.False,
        EnableConstantParameterization = true,
        PageSize = pageSize,
    };

    private const AllowedQueryOptions Shaping = AllowedQueryOptions.Select | AllowedQueryOptions.Expand | AllowedQueryOptions.Compute;
    // The first pass keeps $compute available so that $filter can use computed properties.
    private const AllowedQueryOptions ShapingButCompute = AllowedQueryOptions.Select | AllowedQueryOptions.Expand;
    private const AllowedQueryOptions Paging = AllowedQueryOptions.OrderBy | AllowedQueryOptions.Skip | AllowedQueryOptions.Top
        | AllowedQueryOptions.Count | AllowedQueryOptions.SkipToken;

    /// <summary>The page size: the sites' page size of every API (<see cref="SiteSearchOptions.MaxPageSize"/>).</summary>
    private static int PageSizeOf(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<IOptions<SiteSearchOptions>>().Value.MaxPageSize;

    /// <summary>
    /// The sites an OData query reads: ordered by distance (<c>geo.distance</c> in <c>$orderby</c>), those without a
    /// position are left out, as in every search of the catalogue (<see cref="SiteQuery"/>).
    /// </summary>
    public static IQueryable<Site> Sites(IQueryable<Site> source, ODataQueryOptions<Site> options) =>
        OrdersByDistance(options.OrderBy?.OrderByClause) ? source.Where(s => s.Location != null) : source;

    private static bool OrdersByDistance(OrderByClause? clause) =>
        clause is not null
        && (GeoTranslation.Unwrap(clause.Expression) is SingleValueFunctionCallNode { Name: "geo.distance" }
            || OrdersByDistance(clause.ThenBy));

    /// <summary>A collection: filter, search, count, order (+ key), one page, then select/expand/compute on that page.</summary>
    public static async Task<IActionResult> CollectionAsync<T>(
        ODataController controller, IQueryable<T> source, ODataQueryOptions<T> options, CancellationToken ct)
    {
        var request = controller.Request;
        var pageSize = PageSizeOf(request);
        if (options.RawValues.SkipToken is not null)
            throw new Microsoft.OData.ODataException("$skiptoken is not supported: follow @odata.nextLink, which uses $skip.");
        options.Validate(Validation);
        var feature = request.ODataFeature();
        CheckExpansions(options.SelectExpand?.SelectExpandClause, Math.Min(options.Top?.Value ?? pageSize, pageSize), pageSize);

        if (options.Apply is not null)
        {
            // Aggregations: the library groups in the database and reads one page (its truncated collection).
            // One row more than a page tells whether another page follows.
            var grouped = options.ApplyTo(source, new ODataQuerySettings
            {
                PageSize = pageSize + 1,
                EnsureStableOrdering = true,
                HandleNullPropagation = HandleNullPropagationOption.False,
            });
            return AggregatedPage(controller, grouped, options, pageSize);
        }

        var filtered = (IQueryable<T>)options.ApplyTo(source, Settings(), ShapingButCompute | Paging);
        if (feature.Path.LastSegment is CountSegment) return controller.Ok(await filtered.LongCountAsync(ct));
        if (options.Count?.Value == true) feature.TotalCount = await filtered.LongCountAsync(ct);

        var skip = options.Skip?.Value ?? 0;
        var top = options.Top?.Value;
        var page = Math.Min(PreferredPageSize(request), pageSize);
        var take = top is { } t ? Math.Min(t, page) : page;

        // The key completes every order: $skip pages never overlap, and sites at the same distance come by id.
        var order = options.GenerateStableOrder();
        order.Compute = options.Compute;
        var ordered = (IQueryable<T>)order.ApplyTo(filtered, Settings());
        var window = ordered.Skip(skip).Take(take + 1);

        var shaped = options.SelectExpand is null ? window : options.ApplyTo(window, Settings(), ~Shaping & AllowedQueryOptions.Supported);
        var rows = await ToListAsync(shaped, ct);
        if (rows.Count > take)
        {
            rows.RemoveAt(rows.Count - 1);
            if (top is null || top > take)
                feature.NextLink = NextLink(request, skip + take, top is { } remaining ? remaining - take : null);
        }
        return controller.Ok(rows);
    }

    /// <summary>
    /// The OData formatter does not take the library's group-by wrappers from a controller result; they serialize with
    /// System.Text.Json (the library ships converters for them), so the OData JSON envelope is written here.
    /// </summary>
    private static IActionResult AggregatedPage<T>(
        ODataController controller, IQueryable grouped, ODataQueryOptions<T> options, int pageSize)
    {
        var request = controller.Request;
        var list = grouped.Cast<object>().ToList();
        var more = list.Count > pageSize;
        if (more) list.RemoveAt(list.Count - 1);
        var rows = System.Text.Json.JsonSerializer.SerializeToNode(list)!.AsArray();
        var columns = rows.FirstOrDefault() is System.Text.Json.Nodes.JsonObject first ? string.Join(",", first.Select(p => p.Key)) : "";
        var set = options.Context.NavigationSource?.Name ?? "";
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["@odata.context"] = $"{request.Scheme}://{request.Host}{request.PathBase}/{ODataApi.RoutePrefix}/$metadata#{set}({columns})",
            ["value"] = rows,
        };
        if (more)
        {
            var skip = options.Skip?.Value ?? 0;
            var top = options.Top?.Value;
            body["@odata.nextLink"] = NextLink(request, skip + pageSize, top is { } t ? t - pageSize : null).AbsoluteUri;
        }
        return new ContentResult
        {
            Content = body.ToJsonString(),
            ContentType = "application/json; odata.metadata=minimal; charset=utf-8",
            StatusCode = 200,
        };
    }

    /// <summary>One entity by key, with $select/$expand; 404 in the OData error format when absent.</summary>
    public static async Task<IActionResult> SingleAsync<T>(
        ODataController controller, IQueryable<T> source, ODataQueryOptions<T> options, CancellationToken ct)
    {
        if (options.Filter is not null || options.OrderBy is not null || options.Top is not null || options.Skip is not null
            || options.Apply is not null || options.Search is not null)
        {
            throw new Microsoft.OData.ODataException("Only $select, $expand and $compute apply to a single entity.");
        }
        options.Validate(Validation);
        CheckExpansions(options.SelectExpand?.SelectExpandClause, 1, PageSizeOf(controller.Request));
        var shaped = options.SelectExpand is null
            ? source.Take(1)
            : options.ApplyTo(source.Take(1), Settings(), ~Shaping & AllowedQueryOptions.Supported);
        var rows = await ToListAsync(shaped, ct);
        return rows.Count == 0 ? FeedErrors.NotFound(controller, "No entity has this key.") : controller.Ok(rows[0]);
    }

    /// <summary>Rows an answer may hold through expanded collections: page × every nested $top.</summary>
    public const int MaxExpandedRows = 10_000;

    /// <summary>
    /// Expanded collections are not paged, so each one needs a $top (≤ the page size) and together they may not
    /// multiply past <see cref="MaxExpandedRows"/>: Departements?$expand=Communes($top=100) is fine, an unbounded
    /// Regions?$expand=Departements($expand=Communes) is not.
    /// </summary>
    private static void CheckExpansions(SelectExpandClause? clause, long rows, int pageSize)
    {
        if (clause is null) return;
        foreach (var item in clause.SelectedItems.OfType<ExpandedReferenceSelectItem>())
        {
            if (item is ExpandedNavigationSelectItem { LevelsOption: not null })
                throw new Microsoft.OData.ODataException("$levels is not supported in $expand.");
            var many = item.PathToNavigationProperty.LastSegment is NavigationPropertySegment { NavigationProperty: var navigation }
                && navigation.Type.IsCollection();
            var nested = rows;
            if (many)
            {
                if (item.TopOption is not { } top || top > pageSize)
                {
                    throw new Microsoft.OData.ODataException(
                        $"Expanded collections are not paged: give each one a $top of at most {pageSize}, " +
                        $"e.g. $expand={item.PathToNavigationProperty.LastSegment.Identifier}($top={pageSize}).");
                }
                nested = rows * Math.Max(top, 1);
                if (nested > MaxExpandedRows)
                {
                    throw new Microsoft.OData.ODataException($"This $expand could return {nested:N0} rows; the limit is " +
                        $"{MaxExpandedRows:N0} (page size × each nested $top). Lower $top.");
                }
            }
            if (item is ExpandedNavigationSelectItem navigationItem) CheckExpansions(navigationItem.SelectAndExpand, nested, pageSize);
        }
    }

    private static async Task<IList> ToListAsync(IQueryable query, CancellationToken ct)
    {
        var method = typeof(FeedQuery)
            .GetMethod(nameof(ToListTypedAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(query.ElementType);
        return await (Task<IList>)method.Invoke(null, [query, ct])!;
    }

    private static async Task<IList> ToListTypedAsync<TElement>(IQueryable<TElement> query, CancellationToken ct) =>
        await query.ToListAsync(ct);

    /// <summary>Prefer: odata.maxpagesize=N lowers the page (never raises it).</summary>
    private static int PreferredPageSize(HttpRequest request)
    {
        foreach (var header in request.Headers["Prefer"])
            foreach (var part in (header ?? "").Split(',', ';'))
            {
                var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
                if (pair.Length == 2 && pair[0].Equals("odata.maxpagesize", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
                {
                    return n;
                }
            }
        return int.MaxValue;
    }

    /// <summary>The same absolute URL with $skip advanced (and $top reduced by what was served).</summary>
    private static Uri NextLink(HttpRequest request, int skip, int? top)
    {
        var url = new Uri(request.GetEncodedUrl());
        var query = QueryHelpers.ParseQuery(url.Query);
        var parts = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in query)
        {
            if (key.Equals("$skip", StringComparison.OrdinalIgnoreCase) || key.Equals("$top", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values) parts.Add(new(key, value));
        }
        if (top is { } t) parts.Add(new("$top", t.ToString(CultureInfo.InvariantCulture)));
        parts.Add(new("$skip", skip.ToString(CultureInfo.InvariantCulture)));
        return new Uri(QueryHelpers.AddQueryString(url.GetLeftPart(UriPartial.Path), parts));
    }
}
