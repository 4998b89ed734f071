using InclusionMap.Server.Places;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.Pages;

/// <summary>
/// The server with the place pages' clock fixed at <see cref="Now"/>, Wednesday 15 July 2026 at 10:00 in Paris: the week
/// of the 14 July holiday, so that « today », « open now » and the holidays are known answers; and sitemap files of
/// <see cref="SitemapSize"/> addresses, so that the real catalogue needs a sitemap index.
/// </summary>
public sealed class PlacePagesServer : ServerFixture
{
    public static readonly DateTimeOffset Now = new(2026, 7, 15, 8, 0, 0, TimeSpan.Zero);
    public const int SitemapSize = 2_000;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddKeyedSingleton<TimeProvider>(PlacePagesApi.ClockKey, new FixedClock(Now));
        builder.Configuration["InclusionMap:Pages:SitemapSize"] = SitemapSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Every page of the real catalogue is asked for from one address; the budgets per address have their own tests (Limits/).
        builder.Configuration["InclusionMap:RateLimits:Search:PermitLimit"] = "1000000";
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
