using Fresco.Engine.Storage;

namespace Fresco.Engine.Experiments;

/// <summary>
/// The rules an experiment must follow to be stored, each failure an <see cref="ExperimentException"/> naming the field:
/// a served scenario (the experiment's and each override), two to <see cref="MaxVariants"/> variants with unique names
/// (no <c>/</c>, which separates experiment and variant in the header) and weights from 1 to <see cref="MaxWeight"/>, a
/// <c>Start</c> before the <c>End</c>, and no other experiment on the same scenario whose time overlaps (so at most one
/// runs per scenario at any time). Thread-safe (stateless).
/// </summary>
internal static class ExperimentValidation
{
    public const int MaxVariants = 100;
    public const int MaxWeight = 1_000_000;

    public static void Validate(string name, Experiment experiment, Func<string, bool> scenarioServed,
        IEnumerable<(string Name, Experiment Definition)> others)
    {
        Scenario("Scenario", experiment.Scenario, scenarioServed);
        if (experiment.Variants is not { Count: >= 2 and <= MaxVariants } variants)
        {
            throw new ExperimentException("Variants", $"an experiment has from 2 to {MaxVariants} variants; the first is the control.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            Variant($"Variants[{i}]", variants[i], names, scenarioServed);
        }
        if (experiment.Start == default)
        {
            throw new ExperimentException("Start", "the start time is required (ISO 8601, for example 2026-12-05T00:00:00Z).");
        }
        if (experiment.End <= experiment.Start)
        {
            throw new ExperimentException("End", "the end must be after the start.");
        }
        foreach (var (other, definition) in others)
        {
            if (other != name && definition.Scenario == experiment.Scenario && definition.Start < experiment.End && experiment.Start < definition.End)
            {
                throw new ExperimentException("Start", $"the experiment overlaps experiment '{other}' on scenario '{experiment.Scenario}' "
                    + $"({definition.Start:O} to {definition.End:O}); at most one experiment runs per scenario at a time.");
            }
        }
    }

    private static void Variant(string where, ExperimentVariant? variant, HashSet<string> names, Func<string, bool> scenarioServed)
    {
        if (variant is null)
        {
            throw new ExperimentException(where, "a variant must be an object.");
        }
        Id($"{where}.Name", variant.Name);
        if (variant.Name.Contains('/', StringComparison.Ordinal))
        {
            throw new ExperimentException($"{where}.Name", "a variant name must not contain '/'.");
        }
        if (!names.Add(variant.Name))
        {
            throw new ExperimentException($"{where}.Name", $"the name '{variant.Name}' is used by an earlier variant.");
        }
        if (variant.Weight is < 1 or > MaxWeight)
        {
            throw new ExperimentException($"{where}.Weight", $"the weight is {variant.Weight}; it must be from 1 to {MaxWeight}.");
        }
        if (variant.Scenario is not null)
        {
            Scenario($"{where}.Scenario", variant.Scenario, scenarioServed);
        }
        if (variant.Model is not null)
        {
            Id($"{where}.Model", variant.Model);
            try
            {
                _ = Models.ModelChoice.Parse(variant.Model, $"{where}.Model");
            }
            catch (Scenarios.ScenarioException e)
            {
                throw new ExperimentException(e.Where, e.Reason);
            }
        }
    }

    private static void Scenario(string where, string? scenario, Func<string, bool> scenarioServed)
    {
        Id(where, scenario);
        if (!scenarioServed(scenario!))
        {
            throw new ExperimentException(where, $"unknown scenario '{scenario}'; put it with PUT /api/scenarios/{scenario} first.");
        }
    }

    private static void Id(string where, string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > StoreValidation.MaxIdLength)
        {
            throw new ExperimentException(where, $"must be a non-empty string of at most {StoreValidation.MaxIdLength} characters.");
        }
    }
}
