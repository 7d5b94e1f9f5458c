using System.Globalization;
using Fresco.Engine.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Fresco.Server.Http;

/// <summary>
/// Parses list parameters: <c>n</c> (default 10, 1..MaxN with the offset), <c>offset</c> (default 0), <c>category</c>,
/// <c>exclude</c> (comma-separated and/or repeated), <c>explain</c>, <c>scenario</c>, <c>param.{name}</c> (read by the
/// scenario's filter expressions); and paging parameters <c>n</c>, <c>cursor</c>.
/// A bad value gives a 400 problem naming the parameter. Thread-safe (stateless).
/// </summary>
internal static class QueryParser
{
    public const int DefaultN = 10;
    public const int DefaultPageSize = 100;

    /// <summary>The prefix of request parameters read by scenario filters (<c>?param.brand=acme</c>, as Personalize's <c>$PARAM</c>).</summary>
    public const string ParameterPrefix = "param.";

    public static IResult? TryList(HttpContext context, int maxN, string? pathCategory, bool alwaysScored, out ListRequest result)
    {
        result = default;
        var query = context.Request.Query;
        if (!TryInt(query, "n", DefaultN, out var n, out var error) || !TryInt(query, "offset", 0, out var offset, out error))
        {
            return error;
        }
        if (n < 1 || n > maxN)
        {
            return Problems.BadRequest($"n must be within 1..{maxN} (Recommend:MaxN), not {n}.");
        }
        if (offset < 0 || (long)offset + n > maxN)
        {
            return Problems.BadRequest($"offset must be at least 0 and n + offset at most {maxN} (Recommend:MaxN), not {offset}.");
        }
        if (!TryBool(query, "explain", out var explain, out error))
        {
            return error;
        }
        var category = string.IsNullOrEmpty(pathCategory) ? NullIfEmpty(query["category"]) : pathCategory;
        var scored = alwaysScored || explain || context.Request.Headers["X-API-Version"] == "2";
        if (!TryParameters(query, out var parameters, out error))
        {
            return error;
        }
        result = new ListRequest(new RecommendQuery(n, offset, category, Exclusions(query["exclude"]), NullIfEmpty(query["scenario"]), parameters),
            scored, explain);
        return null;
    }

    public static IResult? TryPage(HttpContext context, int maxBatch, out string cursor, out int n)
    {
        var query = context.Request.Query;
        cursor = query["cursor"].ToString();
        if (!TryInt(query, "n", DefaultPageSize, out n, out var error))
        {
            return error;
        }
        return n < 1 || n > maxBatch
            ? Problems.BadRequest($"n must be within 1..{maxBatch} (Server:MaxBatch), not {n}.")
            : null;
    }

    /// <summary>The request parameters a scenario's filter expressions read: every <c>param.{name}={value}</c>, once each.</summary>
    private static bool TryParameters(IQueryCollection query, out Dictionary<string, string>? parameters, out IResult? error)
    {
        parameters = null;
        error = null;
        foreach (var (key, values) in query)
        {
            if (!key.StartsWith(ParameterPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (values.Count > 1)
            {
                error = Problems.BadRequest($"{key} is given {values.Count} times; a request parameter takes one value.");
                return false;
            }
            (parameters ??= new Dictionary<string, string>(StringComparer.Ordinal))[key[ParameterPrefix.Length..]] = values.ToString();
        }
        return true;
    }

    private static HashSet<string>? Exclusions(StringValues values)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return null;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var id in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                set.Add(id);
            }
        }
        return set.Count == 0 ? null : set;
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, out int value, out IResult? error)
    {
        error = null;
        var text = query[name];
        if (StringValues.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        if (text.Count == 1 && int.TryParse(text[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        value = 0;
        error = Problems.BadRequest($"{name} must be an integer, not '{text}'.");
        return false;
    }

    private static bool TryBool(IQueryCollection query, string name, out bool value, out IResult? error)
    {
        error = null;
        var text = query[name];
        value = false;
        if (StringValues.IsNullOrEmpty(text))
        {
            return true;
        }
        switch (text.ToString().ToLowerInvariant())
        {
            case "true" or "1":
                value = true;
                return true;
            case "false" or "0":
                return true;
            default:
                error = Problems.BadRequest($"{name} must be true or false, not '{text}'.");
                return false;
        }
    }

    private static string? NullIfEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : value.ToString();
}
