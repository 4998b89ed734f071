using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InclusionMap.Server.Moderation;

/// <summary>Reports, suggestions, edits, claims and the moderation queue (docs/moderation.md), composed in one place.</summary>
public static class ModerationSetup
{
    public static WebApplicationBuilder AddModeration(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptions<ModerationOptions>(ModerationOptions.Section);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton(new SiteValues(options));
        services.AddScoped<Contributions>();
        services.AddScoped<SiteEditor>();
        services.AddScoped<ModerationDesk>();
        services.AddScoped<SiteClaims>();
        services.AddScoped<EditorPlaces>();
        return builder;
    }
}
