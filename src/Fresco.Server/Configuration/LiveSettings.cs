using System.Globalization;
using Fresco.Core.Data;
using Fresco.Engine.Realtime;
using Microsoft.Extensions.Configuration;

namespace Fresco.Server.Configuration;

/// <summary>
/// Binds the <c>Live</c> section into <see cref="LiveOptions"/>: <c>Weights</c> (event type to a number, <c>value</c>
/// or <c>F*value</c>; merged over the e-commerce defaults), <c>DefaultWeight</c>, <c>ConsumedEventTypes</c> (replaces
/// the default list when given), <c>TrendingHalfLifeHours</c>, <c>MaxHistoryPerUser</c>, <c>FutureTolerance</c>, <c>UserTtl</c> (empty or absent: users stay in memory).
/// Thread-safe (stateless).
/// </summary>
internal static class LiveSettings
{
    private static readonly HashSet<string> s_keys =
        ["Weights", "DefaultWeight", "ConsumedEventTypes", "TrendingHalfLifeHours", "MaxHistoryPerUser", "FutureTolerance", "UserTtl"];

    public static LiveOptions Bind(IConfigurationSection section)
    {
        var defaults = new LiveOptions();
        foreach (var child in section.GetChildren())
        {
            if (!s_keys.Contains(child.Key))
            {
                throw new ConfigurationException(
                    $"unknown setting 'Live:{child.Key}'; known: {string.Join(", ", s_keys.Order(StringComparer.Ordinal))}.");
            }
        }

        var defaultWeight = Number(section, "DefaultWeight", defaults.Weights.DefaultWeight);
        var weights = new Dictionary<string, EventWeight>(defaults.Weights.Weights, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetSection("Weights").GetChildren())
        {
            try
            {
                weights[child.Key] = EventWeights.Parse($"{child.Key}={child.Value}").Weights[child.Key];
            }
            catch (FormatException)
            {
                throw new ConfigurationException(
                    $"Live:Weights:{child.Key} must be a number, 'value' or 'F*value' (a factor times the event's value), not '{child.Value}'.");
            }
        }

        var consumed = section.GetSection("ConsumedEventTypes");
        var options = new LiveOptions
        {
            Weights = new EventWeights(weights, (float)defaultWeight),
            ConsumedEventTypes = consumed.Exists()
                ? [.. consumed.GetChildren().Select(c => c.Value ?? "")]
                : defaults.ConsumedEventTypes,
            TrendingHalfLifeHours = Number(section, "TrendingHalfLifeHours", defaults.TrendingHalfLifeHours),
            MaxHistoryPerUser = (int)Number(section, "MaxHistoryPerUser", defaults.MaxHistoryPerUser),
            FutureTolerance = Span(section, "FutureTolerance", defaults.FutureTolerance),
            UserTtl = string.IsNullOrEmpty(section["UserTtl"]) ? null : Span(section, "UserTtl", TimeSpan.Zero),
        };
        Check(options);
        return options;
    }

    private static void Check(LiveOptions options)
    {
        if (!float.IsFinite(options.Weights.DefaultWeight))
        {
            throw new ConfigurationException("Live:DefaultWeight must be a finite number.");
        }
        if (!(options.TrendingHalfLifeHours > 0) || double.IsInfinity(options.TrendingHalfLifeHours))
        {
            throw new ConfigurationException(
                $"Live:TrendingHalfLifeHours must be a positive number of hours, not {options.TrendingHalfLifeHours.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (options.MaxHistoryPerUser < 1)
        {
            throw new ConfigurationException($"Live:MaxHistoryPerUser must be at least 1, not {options.MaxHistoryPerUser}.");
        }
        if (options.FutureTolerance < TimeSpan.Zero)
        {
            throw new ConfigurationException($"Live:FutureTolerance must not be negative, not {options.FutureTolerance.ToString("c", CultureInfo.InvariantCulture)}.");
        }
        if (options.UserTtl is { } ttl && ttl < TimeSpan.FromSeconds(1))
        {
            throw new ConfigurationException($"Live:UserTtl must be at least 1 second (or empty: never), not {ttl.ToString("c", CultureInfo.InvariantCulture)}.");
        }
        foreach (var type in options.ConsumedEventTypes)
        {
            if (string.IsNullOrWhiteSpace(type))
            {
                throw new ConfigurationException("Live:ConsumedEventTypes must not contain an empty event type.");
            }
        }
    }

    private static TimeSpan Span(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        throw new ConfigurationException($"Live:{key} must be a time span such as 00:05:00, not '{text}'.");
    }

    private static double Number(IConfigurationSection section, string key, double fallback)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && Math.Abs(value) <= int.MaxValue)
        {
            return value;
        }
        throw new ConfigurationException($"Live:{key} must be a number, not '{text}'.");
    }
}
