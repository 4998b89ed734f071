using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server;

/// <summary>Settings bound from the host configuration (appsettings.json, environment, command line) and checked at start.</summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/>, checks its data annotations now (a bad value stops
    /// the start with a message naming it), registers it as <see cref="IOptions{T}"/> and returns it for the services
    /// that are configured while the application is composed.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is out of its range.</exception>
    public static T AddValidatedOptions<T>(this WebApplicationBuilder builder, string section) where T : class, new()
    {
        var options = Read<T>(builder.Configuration, section);
        builder.Services.AddSingleton(Options.Create(options));
        return options;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> and checks it (for the command line, which has no
    /// builder).
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is out of its range.</exception>
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            throw new OptionsValidationException(section, typeof(T),
                errors.Select(e => $"{section}:{string.Join(",", e.MemberNames)}: {e.ErrorMessage}"));
        return options;
    }
}
