using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// Runs the DataAnnotations attributes of an options class and reports each failure with the
/// configuration key it came from ("Missing required setting 'Gateway:ConfigPath' ..."),
/// which the stock DataAnnotations validator does not do.
/// </summary>
internal sealed class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    private const int MaxDepth = 8;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        ValidateObject(options, section, failures, depth: 0);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateObject(object instance, string prefix, List<string> failures, int depth)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            var key = $"{prefix}:{KeyName(property)}";
            var value = property.GetValue(instance);
            var context = new ValidationContext(instance) { MemberName = property.Name, DisplayName = property.Name };

            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (attribute is RequiredAttribute && IsMissing(value))
                {
                    failures.Add(SettingKeys.Missing(key));
                    continue;
                }

                var result = attribute.GetValidationResult(value, context);
                if (result != ValidationResult.Success)
                {
                    failures.Add(SettingKeys.Invalid(key, result?.ErrorMessage ?? "is not valid"));
                }
            }

            if (value is not null && depth < MaxDepth && IsNestedOptions(property.PropertyType))
            {
                ValidateObject(value, key, failures, depth + 1);
            }
        }

        if (instance is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(instance)))
            {
                var members = result.MemberNames.DefaultIfEmpty("").Select(m => m.Length == 0 ? prefix : $"{prefix}:{m}");
                failures.AddRange(members.Select(m => SettingKeys.Invalid(m, result.ErrorMessage ?? "is not valid")));
            }
        }
    }

    private static string KeyName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static bool IsMissing(object? value) => value switch
    {
        null => true,
        string s => string.IsNullOrWhiteSpace(s),
        ICollection c => c.Count == 0,
        _ => false,
    };

    // Only the suite's own option classes are walked; framework types and collections are leaves.
    private static bool IsNestedOptions(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true
        && type.Namespace?.StartsWith("Microsoft", StringComparison.Ordinal) != true;
}
